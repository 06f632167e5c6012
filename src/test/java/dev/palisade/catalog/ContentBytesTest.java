package dev.palisade.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palisade.source.LimitExceededException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ContentBytesTest {
    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'x');
        return b;
    }

    @Test
    void shouldReadAFileOfTheAnnouncedSizeWhole() throws Exception {
        assertThat(ContentBytes.read(new ByteArrayInputStream(bytes(1000)), 1000, 4096, "f"))
                .isEqualTo(bytes(1000));
    }

    @Test
    void shouldReadAFileShorterOrLongerThanAnnounced() throws Exception {
        assertThat(ContentBytes.read(new ByteArrayInputStream(bytes(10)), 1000, 4096, "f"))
                .isEqualTo(bytes(10));
        assertThat(ContentBytes.read(new ByteArrayInputStream(bytes(3000)), 1000, 4096, "f"))
                .isEqualTo(bytes(3000));
        assertThat(ContentBytes.read(new ByteArrayInputStream(bytes(3000)), 0, 4096, "f"))
                .isEqualTo(bytes(3000));
    }

    @Test
    void shouldKeepTheLimitWhenTheFileIsLongerThanAnnounced() {
        InputStream longer = new ByteArrayInputStream(bytes(5000));

        assertThatThrownBy(() -> ContentBytes.read(longer, 1000, 4096, "f"))
                .isInstanceOf(LimitExceededException.class)
                .hasMessage("f is larger than the limit of 4096 bytes");
    }

    @Test
    void shouldNotAllocateTheAnnouncedSizeWhenItIsOverTheLimit() {
        InputStream huge = new ByteArrayInputStream(bytes(5000));

        assertThatThrownBy(() -> ContentBytes.read(huge, Long.MAX_VALUE, 4096, "f"))
                .isInstanceOf(LimitExceededException.class)
                .hasMessage("f is larger than the limit of 4096 bytes");
    }
}
