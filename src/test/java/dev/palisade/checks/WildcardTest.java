package dev.palisade.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WildcardTest {
    @Test
    void shouldMatchStarsAndQuestionMarksAndTakeTheRestLiterally() {
        assertThat(Wildcard.of("*.conf").matches("50-cloud.conf")).isTrue();
        assertThat(Wildcard.of("*.conf").matches(".conf")).isTrue();
        assertThat(Wildcard.of("*.conf").matches("50-cloud.conf.bak")).isFalse();
        assertThat(Wildcard.of("?0-*").matches("50-cloud.conf")).isTrue();
        assertThat(Wildcard.of("?0-*").matches("0-cloud.conf")).isFalse();
        assertThat(Wildcard.of("a.c").matches("abc")).as("a dot is a dot").isFalse();
        assertThat(Wildcard.of("[ab]").matches("a")).as("brackets are literal").isFalse();
        assertThat(Wildcard.of("[ab]").matches("[ab]")).isTrue();
        assertThat(Wildcard.of("").matches("")).isTrue();
        assertThat(Wildcard.of("*").matches("")).isTrue();
        assertThat(Wildcard.of("?").matches("")).isFalse();
        assertThat(Wildcard.of("?").matches("\uD83D\uDE00"))
                .as("one character, not one UTF-16 unit")
                .isTrue();
    }

    @Test
    void shouldMatchIamActionsInEitherCase() {
        assertThat(Wildcard.ignoringCase("s3:Get*").matches("s3:GetObject")).isTrue();
        assertThat(Wildcard.ignoringCase("S3:get*").matches("s3:GetObject")).isTrue();
        assertThat(Wildcard.ignoringCase("s3:*Object").matches("s3:PutObjectAcl"))
                .isFalse();
        assertThat(Wildcard.of("s3:get*").matches("s3:GetObject")).isFalse();
        assertThat(Wildcard.ignoringCase("\u017F3:GetObject").matches("s3:GetObject"))
                .as("a long s is no s to IAM")
                .isFalse();
        assertThat(Wildcard.ignoringCase("\u212Ams:Decrypt").matches("kms:Decrypt"))
                .as("nor a Kelvin sign a k")
                .isFalse();
        assertThat(Wildcard.ignoringCase("dynamodb:Put\u0131tem").matches("dynamodb:PutItem"))
                .as("nor a dotless i an i")
                .isFalse();
    }

    @Test
    void shouldNotLetWildcardsCrossTheSeparator() {
        Wildcard glob = Wildcard.withSeparator("net.ipv4.conf.*.rp_filter", '.');
        assertThat(glob.matches("net.ipv4.conf.all.rp_filter")).isTrue();
        assertThat(glob.matches("net.ipv4.conf.eth0.1.rp_filter")).isFalse();
        assertThat(glob.matches("net.ipv4.conf..rp_filter")).isTrue();
        assertThat(Wildcard.withSeparator("net.*", '.').matches("net.ipv4.ip_forward"))
                .isFalse();
        assertThat(Wildcard.withSeparator("net.?", '.').matches("net..")).isFalse();
    }

    /** The regular expressions the patterns used to become are the oracle, on every small pattern and text. */
    @Test
    void shouldAgreeWithTheEquivalentRegularExpression() {
        Random random = new Random(20261130);
        for (int i = 0; i < 200_000; i++) {
            String pattern = random(random, "ab.*?", 6);
            String text = random(random, "ab.", 7);
            assertThat(Wildcard.of(pattern).matches(text))
                    .as("%s against %s", pattern, text)
                    .isEqualTo(
                            Pattern.compile(regex(pattern, ".")).matcher(text).matches());
            assertThat(Wildcard.withSeparator(pattern, '.').matches(text))
                    .as("%s against %s, dots separating", pattern, text)
                    .isEqualTo(Pattern.compile(regex(pattern, "[^.]"))
                            .matcher(text)
                            .matches());
        }
        // IAM's: either case of ASCII letters, and nothing else folded
        for (int i = 0; i < 200_000; i++) {
            String pattern = random(random, "aAkKsS\u017F\u212A\u0131iI*?:", 6);
            String text = random(random, "aAkKsS\u017F\u212A\u0131iI:", 7);
            assertThat(Wildcard.ignoringCase(pattern).matches(text))
                    .as("%s against %s, either case", pattern, text)
                    .isEqualTo(Pattern.compile(regex(pattern, "."), Pattern.CASE_INSENSITIVE)
                            .matcher(text)
                            .matches());
        }
    }

    @Test
    @Timeout(5)
    void shouldStayFastOnRunsOfStarsThatDoNotMatch() {
        String stars = "*".repeat(5_000) + "x";
        String text = "a".repeat(5_000);

        assertThat(Wildcard.of(stars).matches(text)).isFalse();
        assertThat(Wildcard.ignoringCase("s3:" + "*a".repeat(2_000) + "x").matches("s3:" + text))
                .isFalse();
        assertThat(Wildcard.withSeparator(stars + "." + stars, '.').matches(text + "." + text))
                .isFalse();
    }

    private static String random(Random random, String alphabet, int maxLength) {
        StringBuilder out = new StringBuilder();
        for (int n = random.nextInt(maxLength + 1); n > 0; n--) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private static String regex(String pattern, String any) {
        StringBuilder out = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            out.append(c == '*' ? any + "*" : c == '?' ? any : Pattern.quote(String.valueOf(c)));
        }
        return out.toString();
    }
}
