package dev.palisade.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.match.Severity;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PatchDeadlineTest {
    private static final Instant SEEN = Instant.parse("2026-03-01T23:30:00Z");

    @Test
    void shouldGiveCriticalFifteenDaysHighThirtyAndTheOthersNone() {
        assertThat(PatchDeadline.due(Severity.CRITICAL, SEEN, null)).hasValue(LocalDate.parse("2026-03-16"));
        assertThat(PatchDeadline.due(Severity.HIGH, SEEN, null)).hasValue(LocalDate.parse("2026-03-31"));
        assertThat(PatchDeadline.due(Severity.MEDIUM, SEEN, null)).isEmpty();
        assertThat(PatchDeadline.due(Severity.LOW, SEEN, null)).isEmpty();
        assertThat(PatchDeadline.due(Severity.UNKNOWN, SEEN, null)).isEmpty();
    }

    @Test
    void shouldTakeTheKevDueDateWhenItComesFirstOrWhenTheSeverityHasNone() {
        assertThat(PatchDeadline.due(Severity.HIGH, SEEN, "2026-03-10")).hasValue(LocalDate.parse("2026-03-10"));
        assertThat(PatchDeadline.due(Severity.CRITICAL, SEEN, "2026-04-30")).hasValue(LocalDate.parse("2026-03-16"));
        assertThat(PatchDeadline.due(Severity.MEDIUM, SEEN, "2026-05-01")).hasValue(LocalDate.parse("2026-05-01"));
        assertThat(PatchDeadline.due(Severity.HIGH, SEEN, "not a date")).hasValue(LocalDate.parse("2026-03-31"));
    }

    @Test
    void shouldBeOverdueFromTheDayAfterTheDueDate() {
        LocalDate due = LocalDate.parse("2026-03-16");
        assertThat(PatchDeadline.overdue(due, Instant.parse("2026-03-16T23:59:59Z")))
                .isFalse();
        assertThat(PatchDeadline.overdue(due, Instant.parse("2026-03-17T00:00:00Z")))
                .isTrue();
    }
}
