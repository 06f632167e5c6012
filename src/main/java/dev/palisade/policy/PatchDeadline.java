package dev.palisade.policy;

import dev.palisade.match.PatchAge;
import dev.palisade.match.Severity;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * When a finding on a target must be patched, from its history: critical findings within 15 days of
 * being first seen, high ones within 30 (CISA BOD 19-02's windows, as {@link PatchAge} uses), and a
 * vulnerability in CISA's KEV catalog by its due date when that comes first. Medium, low and unknown
 * findings have no deadline. A one-shot report, which has no history, counts from the fix's publication
 * instead ({@link PatchAge}).
 */
public final class PatchDeadline {
    public static final int CRITICAL_DAYS = PatchAge.CRITICAL_DAYS;
    public static final int HIGH_DAYS = PatchAge.HIGH_DAYS;

    private PatchDeadline() {}

    /**
     * @param firstSeen when the finding was first seen on the target
     * @param kevDueDate CISA's due date ({@code YYYY-MM-DD}) when the vulnerability is in the KEV catalog
     */
    public static Optional<LocalDate> due(Severity severity, Instant firstSeen, @Nullable String kevDueDate) {
        LocalDate seen = firstSeen.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate bySeverity = null;
        if (severity == Severity.CRITICAL) {
            bySeverity = seen.plusDays(CRITICAL_DAYS);
        } else if (severity == Severity.HIGH) {
            bySeverity = seen.plusDays(HIGH_DAYS);
        }
        LocalDate byKev = null;
        if (kevDueDate != null) {
            try {
                byKev = LocalDate.parse(kevDueDate);
            } catch (DateTimeParseException e) {
                byKev = null; // a malformed catalog date is no deadline; the severity's still holds
            }
        }
        if (bySeverity == null) {
            return Optional.ofNullable(byKev);
        }
        return Optional.of(byKev != null && byKev.isBefore(bySeverity) ? byKev : bySeverity);
    }

    /** Whether the deadline has passed at {@code now}: overdue from the day after the due date. */
    public static boolean overdue(LocalDate due, Instant now) {
        return now.atZone(ZoneOffset.UTC).toLocalDate().isAfter(due);
    }
}
