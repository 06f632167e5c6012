package dev.palisade.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** A size announced by the input (a zip's central directory) costs memory only up to what is trusted. */
class ContentBytesClaimTest {
    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void shouldNotAllocateWhatAMemberOnlyClaims() throws Exception {
        long claimed = 64L * 1024 * 1024;
        ContentBytes.read(new ByteArrayInputStream(new byte[10]), 1024, claimed, 1024 * 1024, "warm-up");

        long before = allocatedByThisThread();
        byte[] read = ContentBytes.read(new ByteArrayInputStream(new byte[10]), claimed, claimed, 1024 * 1024, "x.jar");
        long allocated = allocatedByThisThread() - before;

        assertThat(read).hasSize(10);
        assertThat(allocated)
                .as("bytes allocated for a 10-byte member claiming 64 MiB")
                .isLessThan(4L * 1024 * 1024);
    }

    @Test
    void shouldStillReadAMemberLargerThanWhatIsTrusted() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 5];
        content[content.length - 1] = 7;

        byte[] read = ContentBytes.read(
                new ByteArrayInputStream(content), content.length, 64L * 1024 * 1024, 1024 * 1024, "big.jar");

        assertThat(read).isEqualTo(content);
    }
}
