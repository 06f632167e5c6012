package dev.palisade.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TagPatternTest {
    @Test
    void shouldMatchWholeTags() throws Exception {
        TagPattern releases = TagPattern.compile("[0-9.]+|base");

        assertThat(releases.matches("1.2.3")).isTrue();
        assertThat(releases.matches("base")).isTrue();
        assertThat(releases.matches("1.2.3-rc1")).isFalse();
        assertThat(TagPattern.everyTag().matches("latest")).isTrue();
    }

    /** An API client's pattern that backtracks for hours is refused on the tag it stalls on, in a moment. */
    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldRefuseAPatternThatBacktracksExponentially() {
        TagPattern nested = TagPattern.compile("(.*a){20}b");
        String tag = "a".repeat(128);

        assertThatThrownBy(() -> nested.matches(tag))
                .isInstanceOf(IOException.class)
                .hasMessage("the tag pattern '(.*a){20}b' takes too long to match the tag '" + tag
                        + "' (repetitions such as (.*a){20} backtrack): simplify it");
    }

    @Test
    void shouldGiveOrdinaryPatternsRoomOnTheLongestTags() throws Exception {
        String tag = "v" + "1.2-".repeat(31) + "abc";

        assertThat(TagPattern.compile("v([0-9]+\\.[0-9]+-)*[a-z]+").matches(tag))
                .isTrue();
        assertThat(TagPattern.compile(".*-.*-.*-.*abc").matches(tag)).isTrue();
        assertThat(TagPattern.compile(".*-.*-.*-.*xyz").matches(tag)).isFalse();
    }
}
