package dev.palisade.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.inventory.Ecosystem;
import dev.palisade.vulndb.VulnerabilityStore.KevEntry;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class PatchAgeTest {

    private static final Instant SCAN = Instant.parse("2026-01-31T12:00:00Z");

    private static Finding finding(
            Severity severity,
            @Nullable String nearestFix,
            @Nullable String published,
            @Nullable KevEntry kev,
            Finding.Status status) {
        return new Finding(
                MatcherTest.pkg(Ecosystem.MAVEN, "org.example:lib", "1.0"),
                "CVE-2025-0001",
                List.of("CVE-2025-0001"),
                List.of("GHSA-xxxx"),
                List.of(),
                "title",
                severity,
                "test",
                null,
                kev,
                nearestFix == null ? List.of() : List.of(nearestFix),
                nearestFix,
                List.of(),
                published,
                status,
                "");
    }

    @Test
    void criticalFixOlderThanFifteenDaysIsOverdue() {
        PatchAge age = PatchAge.of(
                        finding(Severity.CRITICAL, "1.1", "2026-01-10T08:00:00Z", null, Finding.Status.AFFECTED), SCAN)
                .orElseThrow();
        assertThat(age.days()).isEqualTo(21);
        assertThat(age.deadline()).isEqualTo(LocalDate.parse("2026-01-25"));
        assertThat(age.overdue()).isTrue();
    }

    @Test
    void highFixWithinThirtyDaysIsNotOverdue() {
        PatchAge age = PatchAge.of(
                        finding(Severity.HIGH, "1.1", "2026-01-10T08:00:00Z", null, Finding.Status.AFFECTED), SCAN)
                .orElseThrow();
        assertThat(age.deadline()).isEqualTo(LocalDate.parse("2026-02-09"));
        assertThat(age.overdue()).isFalse();
    }

    @Test
    void mediumHasAnAgeButNoDeadline() {
        PatchAge age = PatchAge.of(
                        finding(Severity.MEDIUM, "1.1", "2025-01-31T12:00:00.5Z", null, Finding.Status.AFFECTED), SCAN)
                .orElseThrow();
        assertThat(age.days()).isEqualTo(364);
        assertThat(age.deadline()).isNull();
        assertThat(age.overdue()).isFalse();
    }

    @Test
    void anEarlierKevDueDateWins() {
        KevEntry kev = new KevEntry("CVE-2025-0001", "2026-01-12", "2026-01-20", "Unknown", "name");
        PatchAge age = PatchAge.of(finding(Severity.MEDIUM, "1.1", "2026-01-10", kev, Finding.Status.AFFECTED), SCAN)
                .orElseThrow();
        assertThat(age.deadline()).isEqualTo(LocalDate.parse("2026-01-20"));
        assertThat(age.overdue()).isTrue();
    }

    @Test
    void noAgeWithoutAFixADateOrAComparison() {
        assertThat(PatchAge.of(
                        finding(Severity.CRITICAL, null, "2026-01-10T08:00:00Z", null, Finding.Status.AFFECTED), SCAN))
                .isEmpty();
        assertThat(PatchAge.of(finding(Severity.CRITICAL, "1.1", null, null, Finding.Status.AFFECTED), SCAN))
                .isEmpty();
        assertThat(PatchAge.of(finding(Severity.CRITICAL, "1.1", "not a date", null, Finding.Status.AFFECTED), SCAN))
                .isEmpty();
        assertThat(PatchAge.of(
                        finding(Severity.CRITICAL, "1.1", "2026-03-01T00:00:00Z", null, Finding.Status.AFFECTED), SCAN))
                .isEmpty();
        assertThat(PatchAge.of(
                        finding(Severity.CRITICAL, "1.1", "2026-01-10T08:00:00Z", null, Finding.Status.NOT_COMPARED),
                        SCAN))
                .isEmpty();
    }
}
