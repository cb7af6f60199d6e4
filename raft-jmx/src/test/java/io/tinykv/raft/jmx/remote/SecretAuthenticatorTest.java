package io.tinykv.raft.jmx.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.management.remote.JMXPrincipal;
import javax.security.auth.Subject;
import org.junit.jupiter.api.Test;

class SecretAuthenticatorTest {

  private final SecretAuthenticator authenticator = new SecretAuthenticator("admin", "s3cret-pw");

  @Test
  void theRightPairGivesASubjectNamedAfterTheUser() {
    Subject subject = authenticator.authenticate(new String[] {"admin", "s3cret-pw"});
    assertThat(subject.getPrincipals()).containsExactly(new JMXPrincipal("admin"));
    assertThat(subject.isReadOnly()).isTrue();
  }

  @Test
  void everythingElseIsRefusedWithoutSayingWhichPartWasWrong() {
    for (Object credentials :
        new Object[] {
          new String[] {"admin", "s3cret-pX"},
          new String[] {"adm1n", "s3cret-pw"},
          new String[] {"admin", null},
          new String[] {null, null},
        }) {
      assertThatThrownBy(() -> authenticator.authenticate(credentials))
          .isInstanceOf(SecurityException.class)
          .hasMessage("authentication failed: wrong user name or password");
    }
    for (Object credentials : new Object[] {null, "admin:s3cret-pw", new String[] {"admin"}}) {
      assertThatThrownBy(() -> authenticator.authenticate(credentials))
          .isInstanceOf(SecurityException.class)
          .hasMessageContaining("authentication required");
    }
  }

  @Test
  void shortPasswordsAndEmptyUsersAreRefusedUpFront() {
    assertThatThrownBy(() -> new SecretAuthenticator("admin", "short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 8");
    assertThatThrownBy(() -> new SecretAuthenticator("", "long-enough"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
