package dev.palisade.assess;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EvidenceReaderTest {
    /** What keys named a listening port before: the oracle. */
    private static final Pattern LISTEN_KEY = Pattern.compile("(?i)(.*\\.)?(server|listen)(\\..*)?\\.port");

    @Test
    void shouldNameTheKeysOfListeningPorts() {
        assertThat(EvidenceReader.namesAListeningPort("server.port")).isTrue();
        assertThat(EvidenceReader.namesAListeningPort("management.server.port")).isTrue();
        assertThat(EvidenceReader.namesAListeningPort("Listen.HTTP.Port")).isTrue();
        assertThat(EvidenceReader.namesAListeningPort("myserver.port")).isFalse();
        assertThat(EvidenceReader.namesAListeningPort("server.portal")).isFalse();
        assertThat(EvidenceReader.namesAListeningPort("port")).isFalse();
        assertThat(EvidenceReader.namesAListeningPort("\u017Ferver.port"))
                .as("a long s is no s")
                .isFalse();
    }

    @Test
    void shouldAgreeWithTheExpressionItReplaces() {
        String[] pieces = {"server", "listen", "SERVER", "Listen", "port", "PORT", ".", "..", "x", "\n", "\u017F"};
        Random random = new Random(20261201);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder key = new StringBuilder();
            for (int n = random.nextInt(7); n > 0; n--) {
                key.append(pieces[random.nextInt(pieces.length)]);
            }
            assertThat(EvidenceReader.namesAListeningPort(key.toString()))
                    .as("%s", key)
                    .isEqualTo(LISTEN_KEY.matcher(key).matches());
        }
    }

    /** A properties file of the artifact with one key of repeated segments: minutes before, a moment now. */
    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldReadAHostileKeyInLinearTime() {
        assertThat(EvidenceReader.namesAListeningPort("server.".repeat(150_000) + "x"))
                .isFalse();
    }
}
