package dev.palisade.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lock file of a large project (tens of megabytes, tens of thousands of entries) is read one entry at a time:
 * each cataloger runs in a JVM whose heap holds the file's bytes and the packages found, but not the file as one
 * tree (some ten times its size), and still finds every package with its version, and reports the broken entries.
 */
class LargeLockFilesTest {
    /** The child's heap: well under what a tree of these files takes (over 112 MiB for the package-lock.json). */
    private static final String CHILD_HEAP = "-Xmx96m";

    private static final int ENTRIES = 80_000;

    @TempDir
    Path tmp;

    /** A generated lock file, and what the cataloger must print for it (see {@link LockFileInChildJvm}). */
    record LockFile(String name, String path, String text, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<LockFile> lockFiles() {
        return Stream.of(packageLockV3(), packageLockV1(), composerLock(), pnpmLock(), pipfileLock(), nugetLock());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lockFiles")
    void shouldFindEveryPackageOfAHugeLockFileInASmallHeap(LockFile lock) throws Exception {
        Path file = tmp.resolve("lock");
        Files.writeString(file, lock.text(), StandardCharsets.UTF_8);
        assertThat(Files.size(file)).as("a large lock file").isGreaterThan(20_000_000L);

        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        CHILD_HEAP,
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        LockFileInChildJvm.class.getName(),
                        file.toString(),
                        lock.path())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            assertThat(child.waitFor(180, TimeUnit.SECONDS)).as("ends in time").isTrue();
        } finally {
            child.destroyForcibly(); // a child that did not end is not left running after the test
        }
        assertThat(child.exitValue())
                .as("the child's error output: %s", Files.readString(err))
                .isZero();
        List<String> printed = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(printed).hasSize(lock.expected().size());
        assertThat(printed).isEqualTo(lock.expected());
    }

    private static String hash(int i) {
        return "sha512-"
                + String.format("%08x", (i * 2654435761L) & 0xffffffffL).repeat(11);
    }

    /** lockfileVersion 3: the {@code packages} map, one entry with no version, a linked workspace package. */
    static LockFile packageLockV3() {
        StringBuilder json =
                new StringBuilder("{\n  \"name\": \"big\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n");
        json.append("    \"\": {\"name\": \"big\", \"version\": \"1.0.0\"},\n");
        json.append("    \"node_modules/workspace-a\": {\"resolved\": \"packages/a\", \"link\": true},\n");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            String name = i % 7 == 0 ? "@scope-" + i % 100 + "/pkg-" + i : "pkg-" + i;
            String key = i % 3 == 0 ? "node_modules/parent-" + i + "/node_modules/" + name : "node_modules/" + name;
            String version = i % 100 + "." + i % 17 + "." + i;
            boolean dev = i % 5 == 0;
            json.append("    \"")
                    .append(key)
                    .append("\": {\"version\": \"")
                    .append(version)
                    .append("\", \"resolved\": \"https://registry.npmjs.org/")
                    .append(name)
                    .append("/-/")
                    .append(name)
                    .append('-')
                    .append(version)
                    .append(".tgz\", \"integrity\": \"")
                    .append(hash(i))
                    .append('"')
                    .append(dev ? ", \"dev\": true" : "")
                    .append(", \"dependencies\": {\"pkg-")
                    .append(i + 1)
                    .append("\": \"^1.0.0\"}")
                    .append(", \"engines\": {\"node\": \">=12\"}},\n");
            expected.add(name + "@" + version + (dev ? " dev" : ""));
        }
        json.append("    \"node_modules/no-version\": {\"resolved\": \"https://example.com/x.tgz\"}\n  }\n}\n");
        expected.add("problem entry no-version has no version; skipped");
        return new LockFile("package-lock.json v3", "app/package-lock.json", json.toString(), expected);
    }

    /** lockfileVersion 1: the nested {@code dependencies} tree, two levels deep, one local package left out. */
    static LockFile packageLockV1() {
        StringBuilder json =
                new StringBuilder("{\n  \"name\": \"big\",\n  \"lockfileVersion\": 1,\n  \"dependencies\": {\n");
        json.append("    \"local\": {\"version\": \"file:../local\"},\n");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < ENTRIES / 2; i++) {
            String version = "1." + i % 13 + "." + i;
            json.append("    \"top-")
                    .append(i)
                    .append("\": {\"version\": \"")
                    .append(version)
                    .append("\", \"resolved\": \"https://registry.npmjs.org/top-")
                    .append(i)
                    .append("/-/top-")
                    .append(i)
                    .append('-')
                    .append(version)
                    .append(".tgz\", \"integrity\": \"")
                    .append(hash(i))
                    .append("\", \"requires\": {\"inner-")
                    .append(i)
                    .append("\": \"^2.0.0\"}")
                    .append(", \"dependencies\": {\"inner-")
                    .append(i)
                    .append("\": {\"version\": \"2.0.")
                    .append(i)
                    .append("\", \"integrity\": \"")
                    .append(hash(i + 1))
                    .append("\", \"dev\": true, \"engines\": {\"node\": \">=14.17\", \"npm\": \">=6\"}}}},\n");
            expected.add("top-" + i + "@" + version);
            expected.add("inner-" + i + "@2.0." + i + " dev");
        }
        json.append("    \"last\": {\"version\": \"9.9.9\"}\n  }\n}\n");
        expected.add("last@9.9.9");
        return new LockFile("package-lock.json v1", "app/package-lock.json", json.toString(), expected);
    }

    static LockFile composerLock() {
        StringBuilder json = new StringBuilder("{\n  \"content-hash\": \"abc\",\n  \"packages\": [\n");
        List<String> expected = new ArrayList<>();
        List<String> dev = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            boolean last = i == ENTRIES / 2 - 1 || i == ENTRIES - 1;
            String name = "vendor-" + i % 500 + "/package-" + i;
            String version = "v" + i % 9 + "." + i % 31 + "." + i;
            json.append("    {\"name\": \"")
                    .append(name)
                    .append("\", \"version\": \"")
                    .append(version)
                    .append("\", \"source\": {\"type\": \"git\", \"url\": \"https://github.com/")
                    .append(name)
                    .append(".git\", \"reference\": \"")
                    .append(hash(i), 0, 40)
                    .append("\"}")
                    .append(", \"require\": {\"php\": \">=8.1\"}, \"type\": \"library\", \"license\": [\"MIT\"]")
                    .append(", \"description\": \"Package number ")
                    .append(i)
                    .append(" of a large project\"}")
                    .append(last ? "\n" : ",\n");
            (i < ENTRIES / 2 ? expected : dev).add(name + "@" + version.substring(1) + (i < ENTRIES / 2 ? "" : " dev"));
            if (i == ENTRIES / 2 - 1) {
                json.append("  ],\n  \"packages-dev\": [\n");
            }
        }
        json.append("  ],\n  \"aliases\": [],\n  \"minimum-stability\": \"stable\"\n}\n");
        expected.addAll(dev);
        return new LockFile("composer.lock", "app/composer.lock", json.toString(), expected);
    }

    /** lockfile 6 keys ({@code /name@version}), with peer suffixes, and one key that names no version. */
    static LockFile pnpmLock() {
        StringBuilder yaml = new StringBuilder("lockfileVersion: '6.0'\n\ndependencies:\n  pkg-0:\n"
                + "    specifier: ^1.0.0\n    version: 1.0.0\n\npackages:\n\n  /no-version:\n    dev: false\n\n");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            String name = i % 7 == 0 ? "@scope-" + i % 100 + "/pkg-" + i : "pkg-" + i;
            String version = i % 100 + "." + i % 17 + "." + i;
            yaml.append("  /")
                    .append(name)
                    .append('@')
                    .append(version)
                    .append(i % 4 == 0 ? "(react@18.2.0)" : "")
                    .append(":\n")
                    .append("    resolution: {integrity: ")
                    .append(hash(i))
                    .append("}\n")
                    .append("    engines: {node: '>=12'}\n")
                    .append("    license: MIT\n")
                    .append("    dependencies:\n      pkg-")
                    .append(i + 1)
                    .append(": 1.0.")
                    .append(i + 1)
                    .append('\n')
                    .append("    dev: ")
                    .append(i % 5 == 0)
                    .append("\n\n");
            expected.add(name + "@" + version);
        }
        expected.add("problem package key '/no-version' names no version; skipped");
        return new LockFile("pnpm-lock.yaml", "app/pnpm-lock.yaml", yaml.toString(), expected);
    }

    static LockFile pipfileLock() {
        StringBuilder json =
                new StringBuilder("{\n  \"_meta\": {\"hash\": {\"sha256\": \"abc\"}},\n  \"default\": {\n");
        List<String> expected = new ArrayList<>();
        List<String> dev = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            boolean develop = i >= ENTRIES / 2;
            String version = i % 9 + "." + i;
            json.append("    \"package-")
                    .append(i)
                    .append("\": {\"hashes\": [\"sha256:")
                    .append(hash(i), 0, 64)
                    .append("\", \"sha256:")
                    .append(hash(i + 1), 0, 64)
                    .append("\"], \"index\": \"pypi\"")
                    .append(", \"markers\": \"python_version >= '3.8'\", \"version\": \"==")
                    .append(version)
                    .append("\"}")
                    .append(i == ENTRIES / 2 - 1 || i == ENTRIES - 1 ? "\n" : ",\n");
            (develop ? dev : expected).add("package-" + i + "@" + version + (develop ? " dev" : ""));
            if (i == ENTRIES / 2 - 1) {
                json.append("  },\n  \"develop\": {\n");
            }
        }
        json.append("  }\n}\n");
        expected.addAll(dev);
        return new LockFile("Pipfile.lock", "app/Pipfile.lock", json.toString(), expected);
    }

    /** Two target frameworks that share their packages (each listed once), and one project reference. */
    static LockFile nugetLock() {
        StringBuilder json = new StringBuilder("{\n  \"version\": 1,\n  \"dependencies\": {\n");
        List<String> expected = new ArrayList<>();
        for (String framework : List.of("net6.0", "net8.0")) {
            json.append("    \"")
                    .append(framework)
                    .append("\": {\n")
                    .append("      \"Own.Project\": {\"type\": \"Project\", \"resolved\": \"1.0.0\"},\n");
            for (int i = 0; i < ENTRIES / 2; i++) {
                String name = "Vendor" + i % 300 + ".Package" + i;
                String version = i % 9 + "." + i % 5 + "." + i;
                json.append("      \"")
                        .append(name)
                        .append("\": {\"type\": \"")
                        .append(i % 10 == 0 ? "Direct" : "Transitive")
                        .append("\", \"requested\": \"[")
                        .append(version)
                        .append(", )\", \"resolved\": \"")
                        .append(version)
                        .append("\", \"contentHash\": \"")
                        .append(hash(i))
                        .append("\", \"dependencies\": {\"System.Memory\": \"4.5.5\"}}")
                        .append(i == ENTRIES / 2 - 1 ? "\n" : ",\n");
                if (framework.equals("net6.0")) {
                    expected.add(name + "@" + version);
                }
            }
            json.append(framework.equals("net6.0") ? "    },\n" : "    }\n");
        }
        json.append("  }\n}\n");
        return new LockFile("packages.lock.json", "app/packages.lock.json", json.toString(), expected);
    }
}
