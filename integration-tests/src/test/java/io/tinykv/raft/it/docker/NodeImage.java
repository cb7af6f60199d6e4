package io.tinykv.raft.it.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The node image, built locally without any registry: {@code FROM scratch} with a Java runtime made
 * by {@code jlink} from the JDK running the tests (the modules the server jar needs, found by
 * {@code jdeps}), the shared libraries that runtime links against (found by {@code ldd}) and the
 * server jar. Its tag is a hash of the jar, the JDK and this recipe, so a run with the same jar and
 * JDK reuses the image the previous run built (jlink and the build are skipped).
 *
 * <p>{@code integration-tests/docker/build-node-image.sh} does the same from a shell; {@code
 * integration-tests/docker/Dockerfile} is the variant on a public JRE base image.
 */
final class NodeImage {

  static final String REPOSITORY = "tinykv-it-node";

  /** Bump when the recipe changes, so that cached images of the old recipe are not reused. */
  private static final String RECIPE = "scratch-jlink-v1";

  private static final String RECIPE_LABEL = "io.tinykv.recipe";

  /** JVM flags for up to five nodes on two cores: small heaps, the client compiler only. */
  static final List<String> ENTRYPOINT =
      List.of(
          "/opt/java/bin/java",
          "-Xms32m",
          "-Xmx192m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:-UsePerfData",
          "-Djava.awt.headless=true",
          "-jar",
          "/opt/tinykv.jar");

  /** Modules jdeps may miss (loaded reflectively: JMX remoting and the platform MXBeans). */
  private static final List<String> EXTRA_MODULES =
      List.of("java.management.rmi", "jdk.management", "jdk.management.agent", "jdk.crypto.ec");

  /** Native libraries of java.desktop's graphics, which a headless server never loads. */
  private static final Pattern DESKTOP_NATIVES =
      Pattern.compile(
          "lib(awt.*|fontmanager|splashscreen|jsound|lcms|javajpeg|mlib_image|jawt)\\.so");

  private static final Pattern LDD_PATH = Pattern.compile("(/\\S+)");

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private static String built;

  private NodeImage() {}

  /** The image's tag, building it first if the engine does not have it yet. */
  static synchronized String ensure(DockerClient docker) {
    if (built != null) {
      return built;
    }
    Path jar = serverJar();
    String tag = REPOSITORY + ":" + contentHash(jar);
    try {
      docker.inspectImageCmd(tag).exec();
      System.out.println("Docker suite: reusing node image " + tag);
    } catch (NotFoundException e) {
      long start = System.nanoTime();
      build(docker, jar, tag);
      System.out.printf(
          "Docker suite: built node image %s in %d ms%n",
          tag, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      removeOlderImages(docker, tag);
    }
    built = tag;
    return tag;
  }

  /**
   * Removes the images earlier runs built from other jars, so that they do not pile up on a
   * developer's engine; one still used by a container (another run's) is left alone.
   */
  private static void removeOlderImages(DockerClient docker, String current) {
    for (Image image :
        docker.listImagesCmd().withLabelFilter(Map.of(RECIPE_LABEL, RECIPE)).exec()) {
      String[] tags = image.getRepoTags();
      if (tags != null && List.of(tags).contains(current)) {
        continue;
      }
      try {
        docker.removeImageCmd(image.getId()).withForce(false).exec();
      } catch (DockerException e) {
        System.out.println(
            "Docker suite: keeping image " + image.getId() + " (" + e.getMessage() + ")");
      }
    }
  }

  static Path serverJar() {
    String property = System.getProperty("tinykv.jar");
    if (property == null || !Files.isRegularFile(Path.of(property))) {
      throw new IllegalStateException(
          "the server jar "
              + (property == null ? "(system property tinykv.jar is not set)" : property)
              + " is missing: build it with ./mvnw package -pl raft-node -am, and run these"
              + " tests through Maven (failsafe sets tinykv.jar)");
    }
    return Path.of(property);
  }

  /** The first 16 hex digits of SHA-256 over the recipe, the JDK and the jar. */
  private static String contentHash(Path jar) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((RECIPE + "\n" + String.join(" ", ENTRYPOINT) + "\n").getBytes(UTF8));
      sha.update(
          (System.getProperty("java.home") + "\n" + System.getProperty("java.vm.version") + "\n")
              .getBytes(UTF8));
      Path release = Path.of(System.getProperty("java.home"), "release");
      if (Files.isRegularFile(release)) {
        sha.update(Files.readAllBytes(release));
      }
      try (InputStream in = Files.newInputStream(jar)) {
        byte[] buffer = new byte[1 << 16];
        for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
          sha.update(buffer, 0, n);
        }
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hash " + jar, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void build(DockerClient docker, Path jar, String tag) {
    Path work = null;
    try {
      work = Files.createTempDirectory("tinykv-node-image-");
      Path rootfs = work.resolve("rootfs");
      Path runtime = rootfs.resolve("opt/java");
      Files.createDirectories(runtime.getParent());
      String modules = modules(jar);
      runTool(
          "jlink",
          "--add-modules",
          modules,
          "--strip-debug",
          "--no-header-files",
          "--no-man-pages",
          "--compress=2",
          "--output",
          runtime.toString());
      Files.copy(jar, rootfs.resolve("opt/tinykv.jar"));
      Set<String> libraryDirs = new TreeSet<>();
      for (Path library : sharedLibraries(runtime)) {
        Path target = rootfs.resolve(library.toString().substring(1));
        Files.createDirectories(target.getParent());
        Files.copy(library, target); // follows the symlink: the file under the linked name
        libraryDirs.add(library.getParent().toString());
      }
      Files.createDirectories(rootfs.resolve("tmp"));
      Files.createDirectories(rootfs.resolve("data"));
      String dockerfile =
          String.join(
              "\n",
              "FROM scratch",
              "COPY rootfs/ /",
              "ENV LD_LIBRARY_PATH=" + String.join(":", libraryDirs),
              "WORKDIR /data",
              "ENTRYPOINT [\"" + String.join("\", \"", ENTRYPOINT) + "\"]",
              "");
      Files.writeString(work.resolve("Dockerfile"), dockerfile, UTF8);
      Path context = work.resolve("context.tar");
      writeTar(work, List.of(work.resolve("Dockerfile"), rootfs), context);
      try (InputStream tar = Files.newInputStream(context)) {
        docker
            .buildImageCmd(tar)
            .withTags(Set.of(tag))
            .withPull(false)
            .withLabels(Map.of(RECIPE_LABEL, RECIPE, "io.tinykv.modules", modules))
            .exec(new BuildImageResultCallback())
            .awaitImageId(5, TimeUnit.MINUTES);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the node image " + tag, e);
    } finally {
      deleteQuietly(work);
    }
  }

  /** The modules the jar needs (jdeps), plus {@link #EXTRA_MODULES}. */
  private static String modules(Path jar) {
    String printed =
        runTool(
                "jdeps",
                "--multi-release",
                String.valueOf(Runtime.version().feature()),
                "--ignore-missing-deps",
                "--print-module-deps",
                jar.toString())
            .trim();
    String last = printed.substring(printed.lastIndexOf('\n') + 1).trim();
    if (!last.matches("[a-z0-9.,]+")) {
      throw new IllegalStateException("unexpected jdeps output: " + printed);
    }
    Set<String> modules = new TreeSet<>(List.of(last.split(",", -1)));
    modules.addAll(EXTRA_MODULES);
    return String.join(",", modules);
  }

  /** Runs a JDK tool in this JVM; returns what it printed, or throws with it if it failed. */
  private static String runTool(String name, String... args) {
    ToolProvider tool =
        ToolProvider.findFirst(name)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the JDK running the tests has no "
                            + name
                            + " (a full JDK 17 with jmods is needed to build the node image)"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status;
    try (PrintWriter o = new PrintWriter(out);
        PrintWriter e = new PrintWriter(err)) {
      status = tool.run(o, e, args);
    }
    if (status != 0) {
      throw new IllegalStateException(
          name + " " + String.join(" ", args) + " failed (" + status + "): " + out + err);
    }
    return out.toString();
  }

  /**
   * The host's shared libraries (including the dynamic loader) that the runtime's launcher, VM and
   * native libraries link against, as {@code ldd} resolves them.
   */
  private static Set<Path> sharedLibraries(Path runtime) throws IOException {
    List<Path> binaries = new ArrayList<>();
    binaries.add(runtime.resolve("bin/java"));
    binaries.add(runtime.resolve("lib/server/libjvm.so"));
    try (Stream<Path> libs = Files.list(runtime.resolve("lib"))) {
      libs.filter(p -> p.getFileName().toString().endsWith(".so"))
          .filter(p -> !DESKTOP_NATIVES.matcher(p.getFileName().toString()).matches())
          .forEach(binaries::add);
    }
    Set<String> own;
    try (Stream<Path> walk = Files.walk(runtime)) {
      own =
          walk.map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".so"))
              .collect(java.util.stream.Collectors.toSet());
    }
    Set<Path> found = new TreeSet<>();
    for (Path binary : binaries) {
      String output = run(List.of("ldd", binary.toString()));
      for (String line : output.lines().toList()) {
        String needed = line.trim().split(" ", 2)[0];
        if (line.contains("not found") && !own.contains(needed)) {
          throw new IllegalStateException("ldd " + binary + ": " + line.trim());
        }
        Matcher m = LDD_PATH.matcher(line);
        while (m.find()) {
          Path library = Path.of(m.group(1));
          if (!library.startsWith(runtime)
              && !line.contains("not found")
              && Files.isRegularFile(library)) {
            found.add(library);
          }
        }
      }
    }
    if (found.stream().noneMatch(p -> p.getFileName().toString().startsWith("ld-linux"))) {
      throw new IllegalStateException("ldd found no dynamic loader for " + runtime + ": " + found);
    }
    return found;
  }

  private static String run(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), UTF8);
    }
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + command, e);
    }
    return output;
  }

  /** A tar of {@code paths} (files or directory trees) named relative to {@code base}. */
  private static void writeTar(Path base, List<Path> paths, Path tar) throws IOException {
    try (OutputStream file = Files.newOutputStream(tar);
        TarArchiveOutputStream out = new TarArchiveOutputStream(file)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Path root : paths) {
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(root)) {
          entries = walk.sorted().toList();
        }
        for (Path path : entries) {
          String name = base.relativize(path).toString().replace('\\', '/');
          if (Files.isDirectory(path)) {
            TarArchiveEntry entry = new TarArchiveEntry(name + "/");
            entry.setMode(name.equals("rootfs/tmp") ? 01777 : 0755);
            out.putArchiveEntry(entry);
            out.closeArchiveEntry();
          } else if (Files.isRegularFile(path)) {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(Files.size(path));
            entry.setMode(Files.isExecutable(path) ? 0755 : 0644);
            out.putArchiveEntry(entry);
            Files.copy(path, out);
            out.closeArchiveEntry();
          }
        }
      }
      out.finish();
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }
}
