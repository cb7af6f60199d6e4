package io.tinykv.raft.jmx.remote;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Set;
import javax.management.remote.JMXAuthenticator;
import javax.management.remote.JMXPrincipal;
import javax.security.auth.Subject;

/**
 * Admits one user with one password: what JConsole and VisualVM send as "Username" and "Password"
 * (a {@code String[] {user, password}}). The password is compared in constant time; a refusal says
 * the same whether the user or the password was wrong.
 */
public final class SecretAuthenticator implements JMXAuthenticator {

  private final String user;
  private final byte[] password;

  /**
   * @param user the only user name accepted
   * @param password its password; at least 8 characters
   */
  public SecretAuthenticator(String user, String password) {
    this.user = Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (user.isEmpty()) {
      throw new IllegalArgumentException("the JMX user name is empty");
    }
    if (password.length() < 8) {
      throw new IllegalArgumentException(
          "the JMX password must have at least 8 characters (got " + password.length() + ")");
    }
    this.password = password.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Subject authenticate(Object credentials) {
    if (!(credentials instanceof String[] pair) || pair.length != 2) {
      throw new SecurityException("authentication required: connect with a user name and password");
    }
    String givenUser = pair[0] == null ? "" : pair[0];
    byte[] givenPassword = (pair[1] == null ? "" : pair[1]).getBytes(StandardCharsets.UTF_8);
    // Both checks always run, so the time taken does not tell which one failed.
    boolean userMatches =
        MessageDigest.isEqual(
            givenUser.getBytes(StandardCharsets.UTF_8), user.getBytes(StandardCharsets.UTF_8));
    boolean passwordMatches = MessageDigest.isEqual(givenPassword, password);
    if (!userMatches || !passwordMatches) {
      throw new SecurityException("authentication failed: wrong user name or password");
    }
    return new Subject(true, Set.of(new JMXPrincipal(user)), Set.of(), Set.of());
  }
}
