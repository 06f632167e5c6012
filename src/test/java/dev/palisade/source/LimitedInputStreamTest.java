package dev.palisade.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class LimitedInputStreamTest {
    @Test
    void readAllShouldReturnEveryByteUpToTheLimit() throws Exception {
        byte[] content = new byte[100_000];
        Arrays.fill(content, (byte) 7);

        assertThat(LimitedInputStream.readAll(new ByteArrayInputStream(content), 100_000, "f"))
                .isEqualTo(content);
        assertThat(LimitedInputStream.readAll(new ByteArrayInputStream(content), Long.MAX_VALUE, "f"))
                .isEqualTo(content);
        assertThat(LimitedInputStream.readAll(InputStream.nullInputStream(), 0, "f"))
                .isEmpty();
    }

    @Test
    void readAllShouldRefuseOneByteOverTheLimitEvenWhenItArrivesInPieces() {
        InputStream pieces = new SequenceInputStream(Collections.enumeration(
                Arrays.asList(new ByteArrayInputStream(new byte[60_000]), new ByteArrayInputStream(new byte[40_001]))));

        assertThatThrownBy(() -> LimitedInputStream.readAll(pieces, 100_000, "app/big.json"))
                .isInstanceOf(LimitExceededException.class)
                .hasMessage("app/big.json is larger than the limit of 100000 bytes");
    }
}
