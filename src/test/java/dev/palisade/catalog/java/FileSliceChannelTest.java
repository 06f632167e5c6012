package dev.palisade.catalog.java;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads through the read-ahead window give the bytes of the slice, wherever they start and however long they are. */
class FileSliceChannelTest {
    @TempDir
    Path directory;

    @Test
    void shouldReadTheSliceWhereverAndHoweverMuchIsRead() throws Exception {
        Random random = new Random(1130);
        byte[] content = new byte[5 * FileSliceChannel.WINDOW_BYTES + 123];
        random.nextBytes(content);
        Path path = Files.write(directory.resolve("spool"), content);
        int offset = 1000;
        int length = content.length - offset - 77;
        byte[] slice = Arrays.copyOfRange(content, offset, offset + length);

        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ);
                FileSliceChannel channel = new FileSliceChannel(file, offset, length)) {
            for (int round = 0; round < 2000; round++) {
                int position = random.nextInt(10) == 0 ? length - random.nextInt(100) : random.nextInt(length);
                int size =
                        switch (random.nextInt(4)) {
                            case 0 -> 1 + random.nextInt(46);
                            case 1 -> 1 + random.nextInt(8192);
                            case 2 -> FileSliceChannel.WINDOW_BYTES - 1 + random.nextInt(3);
                            default -> 1 + random.nextInt(3 * FileSliceChannel.WINDOW_BYTES);
                        };
                channel.position(position);
                ByteBuffer buffer = ByteBuffer.allocate(size);
                int n = channel.read(buffer);

                int expected = Math.min(size, length - position);
                if (expected == 0) {
                    assertThat(n).isEqualTo(-1);
                    continue;
                }
                assertThat(n)
                        .as("read of %d at %d", size, position)
                        .isPositive()
                        .isLessThanOrEqualTo(expected);
                assertThat(Arrays.copyOf(buffer.array(), n))
                        .as("read of %d at %d", size, position)
                        .isEqualTo(Arrays.copyOfRange(slice, position, position + n));
                assertThat(channel.position()).isEqualTo(position + n);
            }
        }
    }

    @Test
    void shouldReadABackwardSearchAWindowAtATime() throws Exception {
        // what a zip reader does to find the end of the central directory behind a comment of up to 64 KiB
        byte[] content = new byte[1024 * 1024];
        new Random(3).nextBytes(content);
        Path path = Files.write(directory.resolve("backwards"), content);

        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ);
                FileSliceChannel channel = new FileSliceChannel(file, 0, content.length)) {
            for (int at = content.length - 22; at >= content.length - 22 - 65_535; at--) {
                channel.position(at);
                ByteBuffer buffer = ByteBuffer.allocate(4);
                assertThat(channel.read(buffer)).isEqualTo(4);
                assertThat(buffer.array()).isEqualTo(Arrays.copyOfRange(content, at, at + 4));
            }
            assertThat(channel.filledBytes()).isLessThanOrEqualTo(3L * FileSliceChannel.WINDOW_BYTES);
        }
    }

    @Test
    void shouldEndWhereTheFileEndsThoughTheSliceSaysMore() throws Exception {
        byte[] content = new byte[300];
        new Random(7).nextBytes(content);
        Path path = Files.write(directory.resolve("short"), content);

        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ);
                FileSliceChannel channel = new FileSliceChannel(file, 100, 1000)) {
            ByteBuffer buffer = ByteBuffer.allocate(500);
            assertThat(channel.read(buffer)).isEqualTo(200);
            assertThat(Arrays.copyOf(buffer.array(), 200)).isEqualTo(Arrays.copyOfRange(content, 100, 300));
            assertThat(channel.read(ByteBuffer.allocate(10))).isEqualTo(-1);
        }
    }
}
