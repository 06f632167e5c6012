package dev.palisade.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.vulndb.Advisory;
import dev.palisade.vulndb.Advisory.Event;
import dev.palisade.vulndb.Advisory.EventKind;
import dev.palisade.version.MavenVersionScheme;
import dev.palisade.version.SemverVersionScheme;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The OSV range semantics on hand-made entries, one rule at a time. */
class RangeEvaluatorTest {
    static Advisory.Affected entry(List<Advisory.Range> ranges, List<String> versions) {
        return new Advisory.Affected("Maven", "g:a", ranges, versions, null);
    }

    static Advisory.Range range(String type, Event... events) {
        return new Advisory.Range(type, List.of(events));
    }

    static Event introduced(String v) {
        return new Event(EventKind.INTRODUCED, v);
    }

    static Event fixed(String v) {
        return new Event(EventKind.FIXED, v);
    }

    static Event lastAffected(String v) {
        return new Event(EventKind.LAST_AFFECTED, v);
    }

    static Event limit(String v) {
        return new Event(EventKind.LIMIT, v);
    }

    static String verdict(Advisory.Affected entry, String version) {
        RangeEvaluator.Verdict v = RangeEvaluator.evaluate(entry, version, new MavenVersionScheme(), SemverVersionScheme.semver());
        if (v instanceof RangeEvaluator.Verdict.Affected a) {
            return "affected" + (a.fixes().isEmpty() ? "" : " fix " + String.join(",", a.fixes()));
        }
        return v instanceof RangeEvaluator.Verdict.NotCompared ? "not compared" : "not affected";
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "1.0|affected fix 1.5", "1.5|not affected", "1.9|not affected", "2.0|affected fix 2.3", "2.2.9|affected fix 2.3",
        "2.3|not affected", "3.0|affected", "0.9|not affected"})
    void shouldWalkSeveralIntroducedFixedPairs(String version, String expected) {
        // events deliberately out of order: OSV says they are sorted before they are walked
        Advisory.Affected entry = entry(List.of(range("ECOSYSTEM", introduced("2.0"), fixed("1.5"), introduced("1.0"),
                fixed("2.3"), introduced("3.0"))), List.of());
        assertThat(verdict(entry, version)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {"0.1|affected", "1.2.1|affected", "1.2.2|not affected"})
    void shouldStopAfterLastAffected(String version, String expected) {
        Advisory.Affected entry = entry(List.of(range("ECOSYSTEM", introduced("0"), lastAffected("1.2.1"))), List.of());
        assertThat(verdict(entry, version)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {"1.0|affected", "2.0|not affected", "2.5|not affected"})
    void shouldHonourLimits(String version, String expected) {
        Advisory.Affected entry = entry(List.of(range("ECOSYSTEM", introduced("0"), limit("2.0"))), List.of());
        assertThat(verdict(entry, version)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {"6.3.2.1|affected", "6.3.2|not affected", "6.3.2.1.0|affected"})
    void shouldMatchExplicitVersionsWithTheSchemesEquality(String version, String expected) {
        assertThat(verdict(entry(List.of(), List.of("6.3.2.1")), version)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {"1.0.0|not affected", "0.9.0|affected fix 1.0.0"})
    void shouldSkipGitRangesAndUseSemverForSemverRanges(String version, String expected) {
        Advisory.Affected entry = entry(List.of(range("GIT", introduced("0"), fixed("abc123")),
                range("SEMVER", introduced("0"), fixed("1.0.0"))), List.of());
        assertThat(verdict(entry, version)).isEqualTo(expected);
    }
}
