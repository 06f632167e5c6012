package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serial collector's old generation, with and without the watch, in a JVM of its own that promotes about
 * 600 MiB of short-lived data over a second while keeping 16 to 40 MiB alive: the old generation's peak is read from the
 * collector's own figures.
 */
class HeapFootprintTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path tmp;

    @Test
    void shouldKeepTheOldGenerationNearTheSoftMaximumWhereTheSerialCollectorWouldFillItsMaximum() throws Exception {
        long unwatched = peakOldGeneration("-XX:+UseSerialGC", "-Xmx384m", "-Xmn8m");
        long watched = peakOldGeneration("-XX:+UseSerialGC", "-Xmx384m", "-Xmn8m", "-XX:SoftMaxHeapSize=64m");

        assertThat(unwatched).as("without a soft maximum").isGreaterThan(256 * MIB); // 375 MiB on our machine
        // 56 MiB for the old generation (64 less the young generation), 60 for the 40 MiB alive, plus what is
        // promoted between two looks: 88 to 94 MiB on a loaded machine
        assertThat(watched).as("with a soft maximum of 64 MiB").isLessThan(128 * MIB);
    }

    @Test
    void shouldFollowWhatSurvivesUpwardsSoThatCollectionsNeverRunBackToBack() {
        long base = 100 * MIB;
        assertThat(HeapFootprint.nextLimit(base, 10 * MIB)).isEqualTo(base);
        assertThat(HeapFootprint.nextLimit(base, 60 * MIB)).isEqualTo(base);
        // more survived than the base leaves room for: half as much again must be promoted before the next one
        assertThat(HeapFootprint.nextLimit(base, 80 * MIB)).isEqualTo(120 * MIB);
        assertThat(HeapFootprint.nextLimit(base, 300 * MIB)).isEqualTo(450 * MIB);
    }

    @Test
    void shouldStayOutOfTheWayWithoutASoftMaximumBelowTheMaximum() {
        // this JVM runs the tests with no soft maximum of its own
        assertThat(HeapFootprint.forThisJvm()).isEmpty();
    }

    @Test
    void shouldStayOutOfTheWayOfAnotherCollectorAndOfDisabledExplicitCollections() throws Exception {
        assertThat(probe("-XX:+UseSerialGC", "-Xmx384m", "-Xmn8m", "-XX:SoftMaxHeapSize=64m", Probe.WATCHES))
                .isEqualTo("true");
        assertThat(probe("-XX:+UseParallelGC", "-Xmx384m", "-Xmn8m", "-XX:SoftMaxHeapSize=64m", Probe.WATCHES))
                .isEqualTo("false");
        assertThat(probe(
                        "-XX:+UseSerialGC",
                        "-Xmx384m",
                        "-Xmn8m",
                        "-XX:SoftMaxHeapSize=64m",
                        "-XX:+DisableExplicitGC",
                        Probe.WATCHES))
                .isEqualTo("false");
    }

    private long peakOldGeneration(String... jvmOptions) throws IOException, InterruptedException {
        return Long.parseLong(probe(jvmOptions));
    }

    /** Runs the probe in a JVM of its own with these options (the last may be a probe argument); its output. */
    private String probe(String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> probeArguments = new ArrayList<>();
        for (String option : options) {
            (option.startsWith("-") ? command : probeArguments).add(option);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        command.addAll(probeArguments);
        Path out = Files.createTempFile(tmp, "probe", ".out");
        Path err = Files.createTempFile(tmp, "probe", ".err");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        // options from the environment would be added to these, or printed where the figure is read
        builder.environment().keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS"));
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String printed = Files.readString(out, StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue())
                .as(printed + Files.readString(err, StandardCharsets.UTF_8))
                .isZero();
        return printed;
    }

    /** Promotes short-lived arrays through a small young generation and prints the old generation's peak. */
    static final class Probe {
        static final String WATCHES = "watches";

        public static void main(String[] args) throws InterruptedException {
            if (args.length > 0 && args[0].equals(WATCHES)) {
                System.out.println(HeapFootprint.forThisJvm().isPresent());
                return;
            }
            HeapFootprint.start(0);
            byte[][] alive = new byte[16][];
            List<byte[]> recent = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                if (i % 4 == 0) {
                    alive[i / 4 % alive.length] = new byte[(int) MIB];
                }
                recent.add(new byte[(int) MIB]); // survives a few young collections, then dies in the old generation
                if (recent.size() > 24) {
                    recent.remove(0);
                }
                Thread.sleep(2); // about 500 MiB a second: what a scan promotes at most
            }
            MemoryPoolMXBean tenured = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getName().equals("Tenured Gen"))
                    .findFirst()
                    .orElseThrow();
            System.out.println(tenured.getPeakUsage().getUsed());
        }
    }
}
