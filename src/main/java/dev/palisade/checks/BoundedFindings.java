package dev.palisade.checks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * At most a fixed number of check findings, the most severe kept, and a count of the rest: a crafted
 * file (a manifest of 50,000 privileged pods, a Dockerfile of a million bad lines) cannot exhaust
 * memory through its findings, and what was dropped is said.
 */
public final class BoundedFindings {
    /** The default bound for one scan. */
    public static final int DEFAULT_MAX = 10_000;

    private static final Comparator<Misconfiguration> LEAST_SEVERE_FIRST =
            Comparator.comparing((Misconfiguration m) -> m.check().severity()).reversed();

    private final int max;
    private final PriorityQueue<Misconfiguration> kept;
    private long dropped;

    public BoundedFindings(int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("max must be positive: " + max);
        }
        this.max = max;
        this.kept = new PriorityQueue<>(LEAST_SEVERE_FIRST);
    }

    public void add(Misconfiguration finding) {
        if (kept.size() < max) {
            kept.add(finding);
            return;
        }
        dropped++;
        Misconfiguration leastSevere = kept.peek();
        if (leastSevere != null
                && finding.check().severity().compareTo(leastSevere.check().severity()) < 0) {
            kept.poll();
            kept.add(finding);
        }
    }

    public void addAll(List<Misconfiguration> findings) {
        findings.forEach(this::add);
    }

    public List<Misconfiguration> kept() {
        return new ArrayList<>(kept);
    }

    public long dropped() {
        return dropped;
    }

    public int max() {
        return max;
    }
}
