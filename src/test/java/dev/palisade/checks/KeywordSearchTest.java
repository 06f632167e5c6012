package dev.palisade.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Keywords are found where they are in the lower-cased text, whether the text is searched in place or not. */
class KeywordSearchTest {
    /** The built-in rules' keywords, and a few of other shapes (a digit, a space, a non-ASCII letter). */
    private static final List<String> KEYWORDS = List.of(
            "private key",
            "akia",
            "asia",
            "aws",
            "service_account",
            "accountkey=",
            "ghp_",
            "glpat-",
            "xoxb-",
            "://",
            "password",
            "passwd",
            "pwd",
            "secret",
            "a",
            "k9",
            "zz",
            "straße",
            "i\u0307x",
            "kelvin");

    private static final List<String> ASCII_KEYWORDS =
            KEYWORDS.stream().filter(k -> k.chars().allMatch(c -> c < 0x80)).toList();
    /** Searched in a file's bytes: ASCII, two characters or more. */
    private static final List<String> BYTE_KEYWORDS =
            ASCII_KEYWORDS.stream().filter(k -> k.length() > 1).toList();

    @Test
    void shouldFindInAnAsciiTextWhatTheLowerCasedTextHolds() {
        Random random = new Random(15);
        String pool = "aAkKiIsSwWpPzZ_-=:/ 9\n";
        for (int round = 0; round < 400; round++) {
            StringBuilder text = new StringBuilder();
            int parts = random.nextInt(12);
            for (int p = 0; p < parts; p++) {
                if (random.nextBoolean()) {
                    text.append(mixedCase(KEYWORDS.get(random.nextInt(KEYWORDS.size())), random));
                } else {
                    for (int n = random.nextInt(6); n > 0; n--) {
                        text.append(pool.charAt(random.nextInt(pool.length())));
                    }
                }
            }
            assertSameAsLowerCased(text.toString());
        }
    }

    @Test
    void shouldFindInOtherTextsWhatTheLowerCasedTextHoldsThoughLowerCasingChangesItsLength() {
        Random random = new Random(16);
        // İ lower-cases to two characters, the Kelvin sign to k, Σ to σ, 𐐀 (two UTF-16 units) to 𐐨
        String[] pool = {"\u0130", "\u212A", "\u03A3", "\uD801\uDC00", "\u00C9", "\u00DF", "A", "k", "I", "x", " "};
        String[] inPlacePool = {"\u03A3", "\uD801\uDC00", "\u00C9", "\u00DF", "\u00E9", "A", "k", "I", "x", " "};
        for (int round = 0; round < 400; round++) {
            StringBuilder text = new StringBuilder();
            int parts = random.nextInt(14);
            for (int p = 0; p < parts; p++) {
                if (random.nextInt(3) == 0) {
                    text.append(mixedCase(KEYWORDS.get(random.nextInt(KEYWORDS.size())), random));
                } else {
                    String[] from = round % 2 == 0 ? pool : inPlacePool;
                    text.append(from[random.nextInt(from.length)]);
                }
            }
            assertSameAsLowerCased(text.toString());
        }
        KeywordSearch kelvin = search("AWS_\u212AEY A\u212AIA");
        assertThat(kelvin.contains("akia")).isTrue();
        assertThat(kelvin.offsetsMatchText()).isTrue();
        KeywordSearch dotted = search("\u0130 AKIA");
        assertThat(dotted.indexOf("akia", 0)).isEqualTo(3);
        assertThat(dotted.offsetsMatchText()).isFalse();
    }

    @Test
    void shouldFindAMixedCaseKeywordAsTheRuleDid() throws Exception {
        SecretScanner scanner = SecretScanner.load(CheckCatalog.load(), null, SecretScanner.DEFAULT_MAX_BYTES);
        String key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ";
        for (String aws : List.of("aws", "AWS", "Aws", "aWs")) {
            String text = "# config\n" + aws + "_Secret_Access_Key = " + key + "\n";
            assertThat(scanner.scan("app/config.txt", text.getBytes(StandardCharsets.UTF_8), null)
                            .secrets())
                    .as(aws)
                    .singleElement()
                    .satisfies(m -> {
                        assertThat(m.line()).isEqualTo(2);
                        assertThat(m.message()).startsWith("aws-secret-access-key: ");
                    });
        }
    }

    @Test
    void shouldFindInTheBytesOfAFileWhatTheLowerCasedTextHoldsThoughSomeAreNotUtf8() {
        Random random = new Random(17);
        byte[][] pool = {
            {(byte) 0xC4, (byte) 0xB0}, // İ
            {(byte) 0xE2, (byte) 0x84, (byte) 0xAA}, // the Kelvin sign
            {(byte) 0xC3, (byte) 0xA9}, // é
            {(byte) 0x80}, // a continuation byte alone
            {(byte) 0xC3}, // a sequence cut short
            {(byte) 0xE2, (byte) 0x84}, // another
            {(byte) 0xF0, (byte) 0x90, (byte) 0x90, (byte) 0x80}, // 𐐀
            {(byte) 0xFF},
            {(byte) 0xB0}, // the end of İ alone
            {(byte) 0xAA}, // the end of the Kelvin sign alone
            {'a'},
            {'K'},
            {' '}
        };
        for (int round = 0; round < 600; round++) {
            java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
            int parts = random.nextInt(14);
            for (int p = 0; p < parts; p++) {
                byte[] part = random.nextInt(3) == 0
                        ? mixedCase(KEYWORDS.get(random.nextInt(KEYWORDS.size())), random)
                                .getBytes(StandardCharsets.UTF_8)
                        : pool[round % 3 == 0 ? random.nextInt(pool.length) : 2 + random.nextInt(pool.length - 2)];
                content.writeBytes(part);
            }
            assertSameAsLowerCased(content.toByteArray());
        }
    }

    private static void assertSameAsLowerCased(String text) {
        assertSameAsLowerCased(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertSameAsLowerCased(byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        String lowerCase = text.toLowerCase(Locale.ROOT);
        KeywordSearch search = KeywordSearch.of(text);
        assertThat(search.offsetsMatchText()).as(text).isEqualTo(lowerCase.length() == text.length());
        boolean lowerCasesToAscii = text.indexOf('\u0130') >= 0 || text.indexOf('\u212A') >= 0;
        assertThat(search.inPlace()).as(text).isEqualTo(!lowerCasesToAscii);
        assertThat(KeywordSearch.mayLowerCaseToAscii(content)).as(text).isEqualTo(lowerCasesToAscii);
        for (List<String> keywords : List.of(KEYWORDS, ASCII_KEYWORDS, BYTE_KEYWORDS)) {
            long expected = 0;
            for (int k = 0; k < keywords.size(); k++) {
                expected |= lowerCase.contains(keywords.get(k)) ? 1L << k : 0;
            }
            KeywordSearch.Set set = new KeywordSearch.Set(keywords);
            assertThat(search.present(set)).as(keywords + " in " + text).isEqualTo(expected);
            assertThat(search.present(set, content))
                    .as(keywords + " in " + text)
                    .isEqualTo(expected);
            if (set.searchesBytes()) {
                long inBytes = KeywordSearch.presentInBytes(set, content);
                if (lowerCasesToAscii) {
                    assertThat(inBytes & ~expected).as(keywords + " in " + text).isZero();
                } else {
                    assertThat(inBytes).as(keywords + " in " + text).isEqualTo(expected);
                }
            }
        }
        for (String keyword : KEYWORDS) {
            assertThat(search.contains(keyword)).as(keyword + " in " + text).isEqualTo(lowerCase.contains(keyword));
            List<Integer> expected = new ArrayList<>();
            List<Integer> actual = new ArrayList<>();
            for (int from = -1; from <= lowerCase.length() + 1; from++) {
                expected.add(lowerCase.indexOf(keyword, from));
                actual.add(search.indexOf(keyword, from));
            }
            assertThat(actual).as(keyword + " in " + text).isEqualTo(expected);
        }
    }

    private static KeywordSearch search(String text) {
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        return KeywordSearch.of(new String(content, StandardCharsets.UTF_8));
    }

    private static String mixedCase(String keyword, Random random) {
        StringBuilder mixed = new StringBuilder();
        for (char c : keyword.toCharArray()) {
            mixed.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return mixed.toString();
    }
}
