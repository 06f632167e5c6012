package dev.palisade.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TagPatternTest {
    @Test
    void shouldMatchWholeTags() throws Exception {
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
    void shouldMatchInLinearTimeWhatBacktrackingTakesForeverOn() throws Exception {
        String tag = "a".repeat(128);

        assertThat(TagPattern.compile("(.*a){20}b").matches(tag)).isFalse();
        assertThat(TagPattern.compile("(?:|)".repeat(50) + "x").matches("a")).isFalse();
        assertThat(TagPattern.compile("(a|a)*b").matches(tag)).isFalse();
        assertThat(TagPattern.compile(".*".repeat(100) + "b").matches(tag)).isFalse();
    }

    /**
     * Nested counted repetitions make a program that grows with their product: refused before compiling, whatever
     * hides the nesting from a reader of the text (a named group, an empty quote before the count, a class range
     * ending in a bracket: review, red team). What compiles to more than {@link TagPattern#MAX_STEPS} steps is
     * refused after.
     */
    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldRefuseRepetitionsThatWouldMakeAHugeProgram() {
        for (String pattern : new String[] {
            "((a{1000}){1000}){1000}",
            "(a{1000}){1000}",
            "(?:(?:\\A){1000}){1000}x",
            "(x{50,}){50}",
            "(?i:(a{0,300}){300})",
            "(?P<a>(?P<b>a{1000}){1000}){1000}",
            "(?<n>a{0,300}){300}",
            "((a{600})\\Q\\E{600})\\Q\\E{600}",
            "[!-[:]((a{1000}){1000}){1000}[:]]",
            "[!-[:alpha:]((a{1000}){1000}){1000}]",
            "(a?){666}",
            "(|a){666}",
            "(^){1000}",
            "[0-9]{400}[0-9]{400}"
        }) {
            assertThatThrownBy(() -> TagPattern.compile(pattern))
                    .as(pattern)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(TagPattern.repetitionProduct("(a{1000}){1000}")).isEqualTo(1_000_000);
        assertThat(TagPattern.repetitionProduct("[0-9]{1,3}(\\.[0-9]{1,3}){3}")).isEqualTo(27);
        assertThat(TagPattern.repetitionProduct("x{5,}")).isEqualTo(6);
        assertThat(TagPattern.repetitionProduct("a{,9}b{ 9}"))
                .as("literal braces to RE2")
                .isEqualTo(1);
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
