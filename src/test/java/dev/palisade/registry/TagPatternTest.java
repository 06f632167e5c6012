package dev.palisade.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TagPatternTest {
    @Test
    void shouldMatchWholeTags() {
        TagPattern releases = TagPattern.compile("[0-9.]+|base");

        assertThat(releases.matches("1.2.3")).isTrue();
        assertThat(releases.matches("base")).isTrue();
        assertThat(releases.matches("1.2.3-rc1")).isFalse();
        assertThat(TagPattern.compile("v[0-9]{1,3}\\.[0-9]{1,3}(-alpine)?").matches("v1.22-alpine"))
                .isTrue();
        assertThat(TagPattern.compile("(?i)LATEST").matches("latest")).isTrue();
        assertThat(TagPattern.everyTag().matches("latest")).isTrue();
    }

    /**
     * Patterns an API client could send that java.util.regex takes hours or forever on, some without reading the
     * tag at all (review): each is answered at once.
     */
    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldMatchInLinearTimeWhatBacktrackingTakesForeverOn() {
        String tag = "a".repeat(128);

        assertThat(TagPattern.compile("(.*a){20}b").matches(tag)).isFalse();
        assertThat(TagPattern.compile("(?:|)".repeat(50) + "x").matches("a")).isFalse();
        assertThat(TagPattern.compile("(a|a)*b").matches(tag)).isFalse();
        assertThat(TagPattern.compile(".*".repeat(100) + "b").matches(tag)).isFalse();
    }

    /** Nested counted repetitions make a program that grows with their product: refused before compiling. */
    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldRefuseRepetitionsThatWouldMakeAHugeProgram() {
        for (String pattern : new String[] {
            "((a{1000}){1000}){1000}", "(a{1000}){1000}", "(?:(?:\\A){1000}){1000}x", "[0-9]{2001}", "(x{50,}){50}"
        }) {
            assertThatThrownBy(() -> TagPattern.compile(pattern))
                    .as(pattern)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("its counted repetitions make it too large");
        }
        assertThat(TagPattern.estimatedSize("(a{1000}){1000}")).isGreaterThan(1_000_000);
        assertThat(TagPattern.estimatedSize("v[0-9]{1,3}")).isLessThan(10);
    }

    @Test
    void shouldSayWhatIsWrongWithAPatternInTheUsersTerms() {
        assertThatThrownBy(() -> TagPattern.compile("[0-9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a regular expression (RE2 syntax): ");
        assertThatThrownBy(() -> TagPattern.compile("(?=x)"))
                .as("no lookahead in RE2")
                .isInstanceOf(IllegalArgumentException.class);
    }
}
