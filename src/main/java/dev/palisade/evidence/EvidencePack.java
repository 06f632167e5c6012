package dev.palisade.evidence;

import dev.palisade.policy.PatchDeadline;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The evidence for one period, computed from the history: scan coverage and cadence per target with the
 * database's freshness at each scan, patch-SLA compliance of every finding that has a deadline, the
 * exceptions in force, and the criteria the evidence supports.
 *
 * @param since the period's start; {@code asOf} its end (the time the pack is made)
 * @param cadence how often every target must be scanned
 */
public record EvidencePack(
        Instant since,
        Instant asOf,
        Duration cadence,
        List<Coverage> coverage,
        List<SlaEntry> sla,
        List<History.Exception> exceptions,
        Soc2Criteria criteria,
        List<String> problems) {
    public EvidencePack {
        coverage = List.copyOf(coverage);
        sla = List.copyOf(sla);
        exceptions = List.copyOf(exceptions);
        problems = List.copyOf(problems);
    }

    /**
     * One target's scans in the period.
     *
     * @param longestGap the longest time without a scan: between the period's start (or the target's first
     *     scan ever, when later) and its first scan in the period, between two scans, and from the last scan to the end
     * @param oldestDatabase the most any scan's database was older than the scan (null when none says)
     */
    public record Coverage(
            String application,
            String target,
            String model,
            int scans,
            @Nullable Instant firstScan,
            @Nullable Instant lastScan,
            Duration longestGap,
            boolean meetsCadence,
            @Nullable Duration oldestDatabase) {}

    /** Where a finding stands against its patch deadline. */
    public enum SlaStatus {
        MET,
        MISSED,
        OPEN_WITHIN_DEADLINE,
        OPEN_OVERDUE;

        public boolean missed() {
            return this == MISSED || this == OPEN_OVERDUE;
        }
    }

    public record SlaEntry(History.Sighting sighting, LocalDate deadline, SlaStatus status) {}

    public static EvidencePack of(
            History history, Soc2Criteria criteria, Instant asOf, Duration period, Duration cadence) {
        Instant since = asOf.minus(period);
        return new EvidencePack(
                since,
                asOf,
                cadence,
                coverage(history, since, asOf, cadence),
                sla(history, since, asOf),
                history.exceptions().stream()
                        // in force at some time in the period
                        .filter(e -> !e.seenAt().isAfter(asOf)
                                && (e.until() == null || !e.until().isBefore(since)))
                        .sorted(Comparator.comparing(History.Exception::application)
                                .thenComparing(History.Exception::target)
                                .thenComparing(History.Exception::kind)
                                .thenComparing(History.Exception::findingId)
                                .thenComparing(History.Exception::subject)
                                .thenComparing(History.Exception::seenAt))
                        .toList(),
                criteria,
                history.problems());
    }

    private static List<Coverage> coverage(History history, Instant since, Instant asOf, Duration cadence) {
        Map<String, List<History.Scan>> byTarget = new LinkedHashMap<>();
        history.scans().stream()
                .sorted(Comparator.comparing(History.Scan::application)
                        .thenComparing(History.Scan::target)
                        .thenComparing(History.Scan::at))
                .forEach(s -> byTarget.computeIfAbsent(s.application() + "\u0000" + s.target(), k -> new ArrayList<>())
                        .add(s));
        List<Coverage> out = new ArrayList<>();
        for (List<History.Scan> all : byTarget.values()) {
            History.Scan any = all.get(0);
            List<History.Scan> inPeriod = all.stream()
                    .filter(s -> !s.at().isBefore(since) && !s.at().isAfter(asOf))
                    .toList();
            // a target first scanned during the period is covered from its first scan on
            Instant from = any.at().isAfter(since) ? any.at() : since;
            Duration longest = Duration.ZERO;
            Instant previous = from;
            Duration oldestDatabase = null;
            for (History.Scan s : inPeriod) {
                longest = max(longest, Duration.between(previous, s.at()));
                previous = s.at();
                Duration age = databaseAge(s);
                if (age != null && (oldestDatabase == null || age.compareTo(oldestDatabase) > 0)) {
                    oldestDatabase = age;
                }
            }
            longest = max(longest, Duration.between(previous, asOf));
            History.Scan last = inPeriod.isEmpty() ? null : inPeriod.get(inPeriod.size() - 1);
            out.add(new Coverage(
                    any.application(),
                    any.target(),
                    last == null ? any.model() : last.model(),
                    inPeriod.size(),
                    inPeriod.isEmpty() ? null : inPeriod.get(0).at(),
                    last == null ? null : last.at(),
                    longest,
                    !inPeriod.isEmpty() && longest.compareTo(cadence) <= 0,
                    oldestDatabase));
        }
        return out;
    }

    private static @Nullable Duration databaseAge(History.Scan scan) {
        if (scan.databaseBuiltAt().isEmpty()) {
            return null;
        }
        try {
            Duration age = Duration.between(Instant.parse(scan.databaseBuiltAt()), scan.at());
            return age.isNegative() ? Duration.ZERO : age;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static List<SlaEntry> sla(History history, Instant since, Instant asOf) {
        List<SlaEntry> out = new ArrayList<>();
        for (History.Sighting s : history.sightings()) {
            if (s.firstSeen().isAfter(asOf)
                    || (s.fixedAt() != null && s.fixedAt().isBefore(since))) {
                continue; // not in the period: found after it, or fixed before it began
            }
            LocalDate deadline = PatchDeadline.due(s.severity(), s.firstSeen(), s.kevDueDate())
                    .orElse(null);
            if (deadline == null) {
                continue;
            }
            SlaStatus status;
            Instant fixed = s.fixedAt() != null && !s.fixedAt().isAfter(asOf) ? s.fixedAt() : null;
            if (fixed != null) {
                status = PatchDeadline.overdue(deadline, fixed) ? SlaStatus.MISSED : SlaStatus.MET;
            } else {
                status =
                        PatchDeadline.overdue(deadline, asOf) ? SlaStatus.OPEN_OVERDUE : SlaStatus.OPEN_WITHIN_DEADLINE;
            }
            out.add(new SlaEntry(s, deadline, status));
        }
        out.sort(Comparator.comparing((SlaEntry e) -> e.sighting().application())
                .thenComparing(e -> e.sighting().target())
                .thenComparing(e -> e.sighting().vulnerabilityId())
                .thenComparing(e -> e.sighting().purl())
                .thenComparing(e -> e.sighting().firstSeen()));
        return out;
    }

    static LocalDate day(Instant instant) {
        return instant.atZone(ZoneOffset.UTC).toLocalDate();
    }
}
