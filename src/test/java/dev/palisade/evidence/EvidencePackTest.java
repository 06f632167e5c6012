package dev.palisade.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.checks.CheckCatalog;
import dev.palisade.match.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvidencePackTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Soc2Criteria CRITERIA =
            Soc2Criteria.load(CheckCatalog.load().all());

    private static Instant day(int n) {
        return T0.plus(Duration.ofDays(n));
    }

    private static History.Sighting sighting(String id, Severity severity, String kev, int seen, Integer fixed) {
        return new History.Sighting(
                "shop", "web", id, "pkg:maven/a/b@1", severity, kev, day(seen), fixed == null ? null : day(fixed));
    }

    @Test
    void shouldTellMetMissedAndOpenDeadlinesAndLeaveOutWhatHasNone() {
        History history = new History(
                List.of(),
                List.of(
                        sighting("CRIT-MET", Severity.CRITICAL, null, 0, 15),
                        sighting("CRIT-LATE", Severity.CRITICAL, null, 0, 16),
                        sighting("HIGH-OPEN-OK", Severity.HIGH, null, 40, null),
                        sighting("HIGH-OPEN-LATE", Severity.HIGH, null, 10, null),
                        sighting("KEV-EARLIER", Severity.HIGH, "2026-01-05", 0, 8),
                        sighting("MEDIUM", Severity.MEDIUM, null, 0, null),
                        sighting("FIXED-BEFORE-PERIOD", Severity.CRITICAL, null, -100, -80)),
                List.of(),
                List.of());
        EvidencePack pack = EvidencePack.of(history, CRITERIA, day(60), Duration.ofDays(90), Duration.ofDays(7));
        assertThat(pack.sla())
                .extracting(e -> e.sighting().vulnerabilityId() + " " + e.deadline() + " " + e.status())
                .containsExactly(
                        "CRIT-LATE 2026-01-16 MISSED",
                        "CRIT-MET 2026-01-16 MET",
                        "HIGH-OPEN-LATE 2026-02-10 OPEN_OVERDUE",
                        "HIGH-OPEN-OK 2026-03-12 OPEN_WITHIN_DEADLINE",
                        "KEV-EARLIER 2026-01-05 MISSED");
    }

    @Test
    void shouldMeasureTheLongestGapWithoutAScanFromThePeriodsStartToItsEnd() {
        History history = new History(
                List.of(
                        new History.Scan("shop", "web", "container", day(-200), "2025-06-14T00:00:00Z"),
                        new History.Scan("shop", "web", "container", day(2), "2026-01-02T00:00:00Z"),
                        new History.Scan("shop", "web", "container", day(8), "2026-01-06T00:00:00Z"),
                        new History.Scan("shop", "api", "function", day(50), "2026-02-20T00:00:00Z"),
                        new History.Scan("shop", "old", "vm", day(-100), "")),
                List.of(),
                List.of(),
                List.of());
        EvidencePack pack = EvidencePack.of(history, CRITERIA, day(60), Duration.ofDays(90), Duration.ofDays(30));
        assertThat(pack.coverage())
                .extracting(
                        c -> c.target() + " " + c.scans() + " " + c.longestGap().toDays() + " " + c.meetsCadence())
                .containsExactly("api 1 10 true", "old 0 90 false", "web 2 52 false");
        EvidencePack.Coverage web = pack.coverage().get(2);
        assertThat(web.oldestDatabase()).isEqualTo(Duration.ofDays(3)); // scanned on 01-09 with a database of 01-06
    }

    @Test
    void shouldMapChecksToCriteriaThroughTheirNistControlFamilies() {
        Soc2Criteria.Criterion cc61 = CRITERIA.criteria().stream()
                .filter(c -> c.id().equals("CC6.1"))
                .findFirst()
                .orElseThrow();
        assertThat(cc61.checks()).isNotEmpty().allSatisfy(check -> assertThat(Soc2Criteria.nistFamilies(check))
                .containsAnyOf("AC", "IA"));
        assertThat(CRITERIA.criteria())
                .extracting(Soc2Criteria.Criterion::id)
                .containsExactly("CC6.1", "CC6.6", "CC6.7", "CC6.8", "CC7.1", "CC7.2", "CC8.1");
    }
}
