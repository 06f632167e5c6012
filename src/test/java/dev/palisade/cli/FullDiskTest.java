package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.palisade.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report that cannot be written for want of space: one line that says so, exit 2, the previous report kept. */
class FullDiskTest {
    @TempDir
    Path tmp;

    Path project() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(project.resolve("requirements.txt"), "requests==2.19.0\n");
        return project;
    }

    @Test
    void shouldSayInOneLineThatTheDeviceIsFull() throws Exception {
        assumeTrue(Files.isWritable(Path.of("/dev/full")), "Linux's /dev/full");

        Cli.Result result = Cli.run("fs", project().toString(), "--scanners", "none", "-f", "json", "-o", "/dev/full");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err())
                .isEqualTo("palisade: error: --output /dev/full: cannot be written: No space left on device\n");
    }

    /**
     * A real full file system: a 64 KiB tmpfs, filled up, mounted in a mount namespace of the scan's own (so the
     * machine's mounts are untouched). Needs root, as CI runs.
     */
    @Test
    void shouldKeepThePreviousReportWhenTheFileSystemIsFull() throws Exception {
        assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0, "mounting needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "unshare (util-linux)");
        Path disk = Files.createDirectories(tmp.resolve("disk"));
        Path report = disk.resolve("report.json");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = "mount -t tmpfs -o size=64k tmpfs \"$1\" || exit 100\n"
                + "echo 'previous report' > \"$1/report.json\"\n"
                + "dd if=/dev/zero of=\"$1/filler\" bs=4k 2>/dev/null\n"
                + "\"$2\" -cp \"$3\" dev.palisade.cli.Main fs \"$4\" --scanners none -f json -o \"$1/report.json\" "
                + "--cache-dir \"$5\"\n"
                + "status=$?\n"
                + "cat \"$1/report.json\" > \"$6\"; ls -a \"$1\" >> \"$6\"\n"
                + "exit $status\n";
        Path seen = tmp.resolve("seen.txt");
        Path err = tmp.resolve("err.txt");
        Process process = new ProcessBuilder(List.of(
                        "/usr/bin/unshare",
                        "--mount",
                        "--propagation",
                        "private",
                        "sh",
                        "-c",
                        script,
                        "sh",
                        disk.toString(),
                        java,
                        System.getProperty("java.class.path"),
                        project().toString(),
                        tmp.resolve("cache").toString(),
                        seen.toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile())
                .start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assumeTrue(process.exitValue() != 100, "tmpfs could not be mounted here: " + Files.readString(err));

        assertThat(process.exitValue()).as(Files.readString(err)).isEqualTo(2);
        assertThat(Files.readString(err))
                .isEqualTo("palisade: error: --output " + report + ": cannot be written: No space left on device\n");
        assertThat(Files.readAllLines(seen))
                .as("the previous report, and no temporary file left beside it")
                .containsExactlyInAnyOrder("previous report", ".", "..", "filler", "report.json");
        try (Stream<Path> outside = Files.list(disk)) {
            assertThat(outside).as("the mount was the scan's own").isEmpty();
        }
    }
}
