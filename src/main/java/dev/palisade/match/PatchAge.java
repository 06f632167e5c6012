package dev.palisade.match;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How long the fix for a finding has been available, and whether applying it is overdue.
 *
 * <p>The fix is taken to be available from the advisory's publication date: OSV advisories for
 * distributions (DSA, DLA) are published with the fixed package, and GitHub advisories with the
 * fixed release. The deadlines follow CISA BOD 19-02 (critical: 15 days, high: 30 days) and, for
 * known exploited vulnerabilities, the due date of the KEV catalog entry, whichever comes first.
 *
 * @param days whole days between the advisory's publication and the scan
 * @param deadline the date by which the fix should have been applied, when a policy sets one
 * @param overdue whether the scan is past that date
 */
public record PatchAge(long days, @Nullable LocalDate deadline, boolean overdue) {

    public static final int CRITICAL_DAYS = 15;
    public static final int HIGH_DAYS = 30;

    /** The age of the finding's fix at {@code asOf}; empty when there is no fix or no usable date. */
    public static Optional<PatchAge> of(Finding finding, Instant asOf) {
        if (!finding.hasFix() || finding.status() != Finding.Status.AFFECTED || finding.published() == null) {
            return Optional.empty();
        }
        Optional<Instant> published = parse(finding.published());
        if (published.isEmpty() || published.get().isAfter(asOf)) {
            return Optional.empty();
        }
        LocalDate publishedDay = LocalDate.ofInstant(published.get(), ZoneOffset.UTC);
        LocalDate deadline =
                switch (finding.severity()) {
                    case CRITICAL -> publishedDay.plusDays(CRITICAL_DAYS);
                    case HIGH -> publishedDay.plusDays(HIGH_DAYS);
                    default -> null;
                };
        if (finding.kev() != null) {
            Optional<LocalDate> due = parseDate(finding.kev().dueDate());
            if (due.isPresent() && (deadline == null || due.get().isBefore(deadline))) {
                deadline = due.get();
            }
        }
        LocalDate today = LocalDate.ofInstant(asOf, ZoneOffset.UTC);
        long days = Duration.between(published.get(), asOf).toDays();
        return Optional.of(new PatchAge(days, deadline, deadline != null && today.isAfter(deadline)));
    }

    private static Optional<Instant> parse(String timestamp) {
        try {
            return Optional.of(OffsetDateTime.parse(timestamp).toInstant());
        } catch (DateTimeParseException notAnOffsetDateTime) {
            return parseDate(timestamp).map(d -> d.atStartOfDay(ZoneOffset.UTC).toInstant());
        }
    }

    private static Optional<LocalDate> parseDate(@Nullable String date) {
        if (date == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(date.length() > 10 ? date.substring(0, 10) : date));
        } catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }
}
