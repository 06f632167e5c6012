package dev.palisade.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./palisade} launcher as the README gives it: the first run of a command makes its start-up archive in
 * the cache directory, later runs use it, and neither run's output carries anything of the JVM's.
 */
class LauncherIT {
    /** A scan's heap: room for a file near the 64 MiB limit, kept near 104 MiB otherwise (HeapFootprint). */
    private static final List<String> SCAN_HEAP = List.of("-Xmx512m", "-Xmn16m", "-XX:SoftMaxHeapSize=104m");

    private static final Path LAUNCHER = Path.of("palisade").toAbsolutePath();
    private static final Path JAR = Path.of("target/palisade.jar").toAbsolutePath();
    private static final Path JDK_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {}

    private Run launch(Map<String, String> environment, String... args) throws Exception {
        return launch(List.of(), environment, args);
    }

    /** The launcher run by {@code prefix} (a tracer), or directly when it is empty. */
    private Run launch(List<String> prefix, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(prefix);
        command.add(LAUNCHER.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(tmp.resolve("out.txt").toFile())
                .redirectError(tmp.resolve("err.txt").toFile());
        builder.environment().put("PALISADE_CACHE_DIR", tmp.resolve("cache").toString());
        // neither may start programs of its own: a BASH_ENV script, java re-executing itself for LD_LIBRARY_PATH
        builder.environment().remove("BASH_ENV");
        builder.environment().remove("LD_LIBRARY_PATH");
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(
                process.exitValue(),
                Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    private List<String> archives() throws Exception {
        Path jvm = tmp.resolve("cache/jvm");
        if (!Files.isDirectory(jvm)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(jvm)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void shouldMakeAnArchivePerCommandOnFirstUseAndPrintOnlyTheReport() throws Exception {
        Run training = launch(Map.of(), "checks", "list", "-f", "json");
        Run archived = launch(Map.of(), "checks", "list", "-f", "json");

        assertThat(training.exit()).isZero();
        assertThat(training.err()).isEmpty();
        assertThat(archived.err()).isEmpty();
        assertThat(archived.out()).isEqualTo(training.out());
        JsonNode checks = new ObjectMapper().readTree(archived.out()).path("checks");
        assertThat(checks.size()).isGreaterThan(50);
        assertThat(archives()).singleElement().satisfies(name -> assertThat(name)
                .startsWith("palisade-")
                .endsWith("-checks." + (archiveOfJdk25OrLater() ? "aot" : "jsa")));

        Run version = launch(Map.of(), "--version");

        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("palisade ").contains("(none yet: run 'palisade db update')");
        assertThat(version.err()).isEmpty();
        assertThat(archives()).hasSize(2).anySatisfy(name -> assertThat(name).contains("-other."));
    }

    /**
     * Every program the launcher starts costs a few milliseconds of a run that may take a quarter of a second: once
     * the archive is made, a run starts java and four helpers (the build check, the java binary's real path, the
     * jar's size and time, the archive's key), nothing for each JDK it looks at.
     */
    @Test
    void shouldStartOnlyJavaAndFourHelpersOnceTheArchiveIsMade() throws Exception {
        assertThat(launch(Map.of(), "checks", "list").exit()).isZero();
        Path trace = tmp.resolve("execve.txt");

        Run traced = launch(
                List.of("strace", "-f", "-qq", "-e", "trace=execve", "-o", trace.toString()),
                Map.of(),
                "checks",
                "list");

        assertThat(traced.exit()).isZero();
        List<String> started = Files.readAllLines(trace).stream()
                .filter(line -> line.contains(" execve(\"") && line.endsWith("= 0"))
                .map(line -> line.substring(line.indexOf("execve(\"") + "execve(\"".length()))
                .map(path -> path.substring(0, path.indexOf('"')))
                .map(path -> path.substring(path.lastIndexOf('/') + 1))
                .filter(program -> !program.equals("palisade") && !program.equals("bash"))
                .toList();
        assertThat(started).containsExactlyInAnyOrder("find", "readlink", "stat", "md5sum", "java");
    }

    /**
     * A scan command's archive is trained by its first run, which may read nothing but an empty directory: the
     * training run also loads the classes other scans need (AotTraining), so that a later scan of a jar maps its
     * reader from the archive instead of loading it from the jar.
     */
    @Test
    void shouldArchiveTheClassesOfScansTheFirstRunDidNotNeed() throws Exception {
        Path mirror = tmp.resolve("mirror/osv");
        dev.palisade.vulndb.GeneratedMirror.writeSource(
                mirror, "Maven", List.of(dev.palisade.vulndb.GeneratedMirror.advisory("GHSA-maven-a", "Maven", "g:a")));
        assertThat(launch(Map.of(), "db", "update", "--db-mirror", mirror.toString())
                        .exit())
                .isZero();
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path project = Files.createDirectories(tmp.resolve("project"));
        try (java.util.zip.ZipOutputStream jar =
                new java.util.zip.ZipOutputStream(Files.newOutputStream(project.resolve("a-1.0.jar")))) {
            jar.putNextEntry(new java.util.zip.ZipEntry("META-INF/maven/g/a/pom.properties"));
            jar.write("groupId=g\nartifactId=a\nversion=1.0\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        Path classLoading = tmp.resolve("class-load.txt");
        Map<String, String> logged =
                Map.of("PALISADE_JAVA_OPTS", "-Xmx512m -XX:+UseSerialGC -Xlog:class+load:file=" + classLoading);

        Run training = launch(logged, "fs", empty.toString(), "--skip-db-update", "-f", "json");
        Run archived = launch(logged, "fs", project.toString(), "--skip-db-update", "-f", "json");

        assertThat(training.exit()).as(training.err()).isZero();
        assertThat(archived.exit()).as(archived.err()).isZero();
        assertThat(archived.out()).contains("pkg:maven/g/a@1.0");
        List<String> loads = Files.readAllLines(classLoading);
        for (String jarReader : List.of(
                "dev.palisade.catalog.java.JavaArchiveCataloger$InflationBudget",
                "dev.palisade.catalog.java.ZipCentralDirectory$Member")) {
            assertThat(loads).as(jarReader).anySatisfy(line -> assertThat(line)
                    .contains(" " + jarReader + " ")
                    .contains("source: shared objects file"));
        }
    }

    /**
     * picocli's own jar is Java 5 bytecode, which neither an AOT cache nor an AppCDS archive can hold: the build
     * compiles its sources for Java 17 so that a run maps its classes from the archive instead of loading and
     * verifying them again.
     */
    @Test
    void shouldMapPicocliFromTheStartUpArchive() throws Exception {
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(JAR.toFile())) {
            List<? extends java.util.zip.ZipEntry> picocli = jar.stream()
                    .filter(entry -> entry.getName().startsWith("picocli/")
                            && entry.getName().endsWith(".class"))
                    .toList();
            assertThat(picocli).hasSizeGreaterThan(100);
            for (java.util.zip.ZipEntry entry : picocli) {
                try (java.io.DataInputStream in = new java.io.DataInputStream(jar.getInputStream(entry))) {
                    assertThat(in.readInt()).isEqualTo(0xCAFEBABE);
                    in.readUnsignedShort(); // minor version
                    assertThat(in.readUnsignedShort()).as(entry.getName()).isEqualTo(61); // Java 17
                }
            }
        }
        Path classLoading = tmp.resolve("class-load.txt");
        Map<String, String> logged =
                Map.of("PALISADE_JAVA_OPTS", "-Xmx512m -XX:+UseSerialGC -Xlog:class+load:file=" + classLoading);

        Run training = launch(logged, "checks", "list");
        Run archived = launch(logged, "checks", "list");

        assertThat(training.exit()).isZero();
        assertThat(archived.exit()).isZero();
        List<String> picocliLoads = Files.readAllLines(classLoading).stream()
                .filter(line -> line.contains(" picocli."))
                .toList();
        assertThat(picocliLoads).hasSizeGreaterThan(50).allSatisfy(line -> assertThat(line)
                .contains("source: shared objects file"));
    }

    /**
     * From JDK 25 on an archive also holds the method profiles of the run that trained it, which the JIT follows in
     * later runs: a scan that names a file of 256 MiB or more trains and uses an archive of its own. An AppCDS archive
     * (JDK 17) holds classes only, so there is one per command whatever the size.
     */
    @Test
    void shouldTrainScansOfLargeArtifactsInAnArchiveOfTheirOwnFromJdk25() throws Exception {
        assertThat(JDK_17).as("Debian's openjdk-17 (CI installs it)").isExecutable();
        boolean aotCache = archiveOfJdk25OrLater();
        Path small = sparseFile("small.tar", (256L << 20) - 1);
        Path large = sparseFile("large.tar", 256L << 20);

        Run smallFirst = launch(Map.of(), "image", small.toString(), "--skip-db-update");
        Run largeFirst = launch(Map.of(), "image", large.toString(), "--skip-db-update");
        Run largeAgain = launch(Map.of(), "image", large.toString(), "--skip-db-update");

        for (Run run : List.of(smallFirst, largeFirst, largeAgain)) {
            assertThat(run.exit()).as(run.err()).isEqualTo(2);
            assertThat(run.err())
                    .as("Palisade's own error, nothing of the JVM's")
                    .startsWith("palisade: error: ");
        }
        String suffix = aotCache ? "aot" : "jsa";
        if (aotCache) {
            assertThat(archives())
                    .hasSize(2)
                    .anySatisfy(name -> assertThat(name).endsWith("-image." + suffix))
                    .anySatisfy(name -> assertThat(name).endsWith("-image-large." + suffix));
        } else {
            assertThat(archives()).singleElement().satisfies(name -> assertThat(name)
                    .endsWith("-image." + suffix));
        }

        Run java17 = launch(Map.of("PALISADE_JAVA", JDK_17.toString()), "image", large.toString(), "--skip-db-update");

        assertThat(java17.exit()).as(java17.err()).isEqualTo(2);
        assertThat(archives())
                .anySatisfy(name -> assertThat(name).endsWith("-image.jsa"))
                .noneSatisfy(name -> assertThat(name).endsWith("-image-large.jsa"));
    }

    /** A file of that many bytes that takes no room on disk. */
    private Path sparseFile(String name, long length) throws Exception {
        Path file = tmp.resolve(name);
        try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(length);
        }
        return file;
    }

    @Test
    void shouldKeepTheArchiveWhereCacheDirSays() throws Exception {
        Path chosen = tmp.resolve("chosen cache");

        Run spaced = launch(Map.of(), "version", "--cache-dir", chosen.toString());
        Run joined = launch(Map.of(), "version", "--cache-dir=" + chosen);

        assertThat(spaced.exit()).isZero();
        assertThat(spaced.out()).contains(chosen.resolve("vulndb.sqlite").toString());
        assertThat(joined.err()).isEmpty();
        assertThat(archives()).as("nothing in $PALISADE_CACHE_DIR").isEmpty();
        try (Stream<Path> files = Files.list(chosen.resolve("jvm"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .singleElement()
                    .satisfies(
                            name -> assertThat(name).endsWith("-version." + (archiveOfJdk25OrLater() ? "aot" : "jsa")));
        }
    }

    @Test
    void shouldKeepAnAppCdsArchiveOnJava17AndNoneWhenTurnedOff() throws Exception {
        assertThat(JDK_17).as("Debian's openjdk-17 (CI installs it)").isExecutable();
        Map<String, String> java17 = Map.of("PALISADE_JAVA", JDK_17.toString());

        Run first = launch(java17, "checks", "list");
        Run second = launch(java17, "checks", "list");
        Run off = launch(Map.of("PALISADE_JVM_CACHE", "0", "PALISADE_JAVA", JDK_17.toString()), "version");

        assertThat(first.exit()).isZero();
        assertThat(first.err()).as("no class-data-sharing warnings").isEmpty();
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(second.err()).isEmpty();
        assertThat(off.exit()).isZero();
        assertThat(archives()).singleElement().satisfies(name -> assertThat(name)
                .endsWith("-checks.jsa"));
    }

    @Test
    void shouldGiveScansASoftMaximumAndTheServerTheJvmsSizingUnlessPalisadeHeapSaysOtherwise() throws Exception {
        Path fakeJava = tmp.resolve("fake-jdk/bin/java");
        Files.createDirectories(fakeJava.getParent());
        // no release file beside it: the launcher runs it straight, with its options, and no archive
        Files.writeString(fakeJava, "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$ARGS_FILE\"\n");
        Files.setPosixFilePermissions(fakeJava, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path argsFile = tmp.resolve("args.txt");
        Map<String, String> fake = Map.of("PALISADE_JAVA", fakeJava.toString(), "ARGS_FILE", argsFile.toString());

        Map<String, List<String>> heaps = new java.util.LinkedHashMap<>();
        for (List<String> args : List.of(
                List.of("image", "debian.tar"),
                List.of("-q", "rootfs", "/usr"),
                List.of("fs", "."),
                List.of("function", "f.zip"),
                List.of("registry", "localhost:5000"),
                List.of("sbom", "big.cdx.json"),
                List.of("server"),
                List.of("-c", "palisade.yaml", "image", "debian.tar"),
                List.of("-c", "palisade.yaml", "server"),
                List.of("--config=palisade.yaml", "server"))) {
            assertThat(launch(fake, args.toArray(String[]::new)).exit()).isZero();
            List<String> jvmArgs = Files.readAllLines(argsFile);
            heaps.put(
                    String.join(" ", args),
                    jvmArgs.stream()
                            .filter(a -> a.startsWith("-Xm") || a.startsWith("-XX:SoftMaxHeapSize"))
                            .toList());
            assertThat(jvmArgs.contains("-Djdk.reflect.useNativeAccessorOnly=true"))
                    .as("reflection without run-time generated classes for short runs, not the server: " + args)
                    .isEqualTo(!args.contains("server"));
            assertThat(jvmArgs.subList(jvmArgs.indexOf("-jar") + 2, jvmArgs.size()))
                    .as("the command line, passed on as it is")
                    .isEqualTo(args);
        }

        assertThat(heaps)
                .containsEntry("image debian.tar", SCAN_HEAP)
                .containsEntry("-q rootfs /usr", SCAN_HEAP)
                .containsEntry("fs .", SCAN_HEAP)
                .containsEntry("function f.zip", SCAN_HEAP)
                .containsEntry("registry localhost:5000", SCAN_HEAP)
                .containsEntry("sbom big.cdx.json", SCAN_HEAP)
                .as("the server keeps the JVM's own sizing below its maximum")
                .containsEntry("server", List.of("-Xmx512m"))
                .as("a settings file may name any command")
                .containsEntry("-c palisade.yaml image debian.tar", SCAN_HEAP)
                .as("the server, past the global options and a settings file")
                .containsEntry("-c palisade.yaml server", List.of("-Xmx512m"))
                .containsEntry("--config=palisade.yaml server", List.of("-Xmx512m"));

        Map<String, String> larger = new java.util.HashMap<>(fake);
        larger.put("PALISADE_HEAP", "640m");
        assertThat(launch(larger, "image", "debian.tar").exit()).isZero();
        assertThat(Files.readAllLines(argsFile))
                .as("a larger heap, the other options kept")
                .contains("-Xmx640m", "-XX:+UseSerialGC")
                .as("a heap of the user's choosing, with no soft maximum that could exceed it")
                .doesNotContain("-Xmx512m", "-Xmn16m", "-XX:SoftMaxHeapSize=104m");
        larger.put("PALISADE_HEAP", "640m -XX:+Whatever");
        Run refused = launch(larger, "image", "debian.tar");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("PALISADE_HEAP: a size such as 512m");

        Map<String, String> own = new java.util.HashMap<>(fake);
        own.put("PALISADE_JAVA_OPTS", "-Xmx300m -XX:+UseSerialGC");
        assertThat(launch(own, "image", "debian.tar").exit()).isZero();
        assertThat(Files.readAllLines(argsFile)).startsWith("-Xmx300m", "-XX:+UseSerialGC", "-jar");
    }

    /** Whether the launcher picks a JDK with an AOT cache: it prefers the newest JDK 25+ it finds. */
    private static boolean archiveOfJdk25OrLater() throws Exception {
        try (Stream<Path> homes = Files.list(Path.of("/usr/lib/jvm"))) {
            return homes.map(home -> home.resolve("release"))
                    .filter(Files::isRegularFile)
                    .anyMatch(release -> {
                        try {
                            String text = Files.readString(release);
                            java.util.regex.Matcher version = java.util.regex.Pattern.compile(
                                            "(?m)^JAVA_VERSION=\"(\\d+)")
                                    .matcher(text);
                            return version.find() && Integer.parseInt(version.group(1)) >= 25;
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    });
        }
    }
}
