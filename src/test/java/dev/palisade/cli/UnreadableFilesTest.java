package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.testing.JsonReports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files the scan is refused, for real: a separate process without the capabilities that let root read whatever the
 * permissions say (setpriv drops them when the tests run as root). The message says why, not only which file.
 */
class UnreadableFilesTest {
    @TempDir
    Path tmp;

    final List<Path> locked = new ArrayList<>();

    @AfterEach
    void unlock() throws Exception {
        for (Path path : locked) { // so that the temporary directory can be removed
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        }
    }

    Path lock(Path path) throws Exception {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("---------"));
        locked.add(path);
        return path;
    }

    record Run(int exit, String out, String err) {}

    Run palisade(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) drops root's override");
            command.addAll(List.of("/usr/bin/setpriv", "--bounding-set=-dac_override,-dac_read_search"));
        }
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.palisade.cli.Main"));
        command.addAll(List.of(args));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("palisade did not finish in 120 s");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** {@code palisade COMMAND TARGET} for its inventory alone, as JSON. */
    Run scan(String command, Path target) throws Exception {
        return palisade(
                command,
                target.toString(),
                "--scanners",
                "none",
                "-f",
                "json",
                "--cache-dir",
                tmp.resolve("cache").toString());
    }

    @Test
    void shouldSayWhyAFileOrDirectoryCannotBeReadAndScanTheRest() throws Exception {
        Path app = Files.createDirectories(tmp.resolve("app"));
        Files.writeString(app.resolve("requirements.txt"), "requests==2.19.0\n");
        Path other = Files.createDirectories(app.resolve("other"));
        lock(Files.writeString(other.resolve("requirements.txt"), "pyyaml==5.1\n"));
        Path closed = Files.createDirectories(app.resolve("closed"));
        Files.writeString(closed.resolve("requirements.txt"), "flask==0.12\n");
        lock(closed);

        Run run = scan("fs", app);

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode report = JsonReports.read(run.out());
        assertThat(JsonReports.purls(report)).containsExactly("pkg:pypi/requests@2.19.0");
        assertThat(JsonReports.elements(report, "problems"))
                .extracting(p -> p.path("path").asText(), p -> p.path("reason").asText())
                .containsExactlyInAnyOrder(
                        tuple("other/requirements.txt", "cannot be read: permission denied"),
                        tuple("closed", "cannot be read: permission denied"));
        assertThat(run.err())
                .contains("other/requirements.txt: cannot be read: permission denied")
                .contains("closed: cannot be read: permission denied");
    }

    /** A directory to scan that cannot be read at all is an unreadable artifact: exit 2, not an empty report. */
    @Test
    void shouldRefuseADirectoryToScanThatCannotBeRead() throws Exception {
        Path app = Files.createDirectories(tmp.resolve("app"));
        Files.writeString(app.resolve("requirements.txt"), "requests==2.19.0\n");
        lock(app);

        Run run = scan("fs", app);

        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).endsWith("palisade: error: " + app + ": cannot be read: permission denied\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldSayWhyAFileGivenToScanCannotBeRead() throws Exception {
        Path sbom = lock(Files.writeString(tmp.resolve("bom.json"), "{\"bomFormat\": \"CycloneDX\"}"));

        Run run = scan("sbom", sbom);

        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).endsWith("palisade: error: " + sbom + ": cannot be read: permission denied\n");
        assertThat(run.out()).isEmpty();
    }
}
