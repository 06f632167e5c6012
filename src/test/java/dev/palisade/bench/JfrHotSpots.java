package dev.palisade.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a recorded re-match spends its time: the execution and native-method samples whose stack passes through
 * {@code InventoryService.rematchOne} (so idle server threads do not count), grouped by phase (the first known
 * package met walking from the sampled frame towards the thread's root), then the hottest methods by self and by
 * inclusive samples. Usage: {@code JfrHotSpots FILE.jfr [MARKER]}.
 */
public final class JfrHotSpots {
    /** Phases, most specific first: a sample is counted in the first one a frame of its stack belongs to. */
    private static final List<String[]> PHASES = List.of(
            new String[] {"dev.palisade.vulndb.", "advisory lookup (vulndb: SQLite read + advisory decode)"},
            new String[] {"dev.palisade.catalog.sbom.", "SBOM reading (CycloneDX parse into an inventory)"},
            new String[] {"dev.palisade.report.CycloneDxWriter", "CycloneDX writing"},
            new String[] {"dev.palisade.version.", "matching (version comparison)"},
            new String[] {"dev.palisade.match.", "matching (other)"},
            new String[] {"dev.palisade.server.ServerStore", "server store (SQL: read inventory, write findings)"},
            new String[] {"dev.palisade.scan.", "scan pipeline (other)"},
            new String[] {"dev.palisade.server.", "server (other)"});

    private JfrHotSpots() {}

    public static void main(String[] args) throws Exception {
        String marker = args.length > 1 ? args[1] : "dev.palisade.server.InventoryService.rematchOne";
        Map<String, Integer> phases = new HashMap<>();
        Map<String, Integer> nativePhases = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        int samples = 0;
        int execution = 0;
        int nativeSamples = 0;
        Duration gc = Duration.ZERO;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = event.getEventType().getName();
            if (type.equals("jdk.GarbageCollection")) {
                gc = gc.plus(event.getDuration());
                continue;
            }
            boolean isNative = type.equals("jdk.NativeMethodSample");
            if (!isNative && !type.equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null) {
                continue;
            }
            List<String> frames = new ArrayList<>();
            for (RecordedFrame frame : stack.getFrames()) {
                frames.add(frame.getMethod().getType().getName() + "."
                        + frame.getMethod().getName());
            }
            if (!frames.contains(marker)) {
                continue;
            }
            samples++;
            if (isNative) {
                nativeSamples++;
            } else {
                execution++;
            }
            self.merge(frames.get(0) + (isNative ? " [native]" : ""), 1, Integer::sum);
            Set<String> seen = new HashSet<>(frames);
            for (String method : seen) {
                inclusive.merge(method, 1, Integer::sum);
            }
            (isNative ? nativePhases : phases).merge(phase(frames), 1, Integer::sum);
        }
        System.out.printf(
                Locale.ROOT,
                "JFR: %d samples in re-match threads (%d executing Java, %d in native code); GC pauses %.1f s in all%n",
                samples,
                execution,
                nativeSamples,
                gc.toMillis() / 1000.0);
        // the two kinds are sampled at different rates, and a native sample may be a thread waiting (for SQLite's lock)
        print("by phase, Java execution samples", phases, execution, 20);
        print("by phase, native samples (running or waiting in native code)", nativePhases, nativeSamples, 20);
        print("hottest methods, self (both kinds)", self, samples, 20);
        Map<String, Integer> ours = new HashMap<>();
        inclusive.forEach((method, count) -> {
            if (method.startsWith("dev.palisade.")) {
                ours.put(method, count);
            }
        });
        print("Palisade methods, inclusive (both kinds)", ours, samples, 30);
    }

    private static String phase(List<String> frames) {
        for (String frame : frames) {
            for (String[] phase : PHASES) {
                if (frame.startsWith(phase[0])) {
                    return phase[1];
                }
            }
        }
        return "other";
    }

    private static void print(String title, Map<String, Integer> counts, int total, int top) {
        System.out.println(title + " (" + total + "):");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> System.out.printf(
                        Locale.ROOT, "  %5.1f%%  %6d  %s%n", 100.0 * e.getValue() / total, e.getValue(), e.getKey()));
    }
}
