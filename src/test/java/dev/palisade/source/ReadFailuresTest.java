package dev.palisade.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadFailuresTest {
    @TempDir
    Path tmp;

    @Test
    void shouldSayWhyWhereTheJdkOnlyNamesTheFile() {
        assertThat(ReadFailures.why(new AccessDeniedException("/srv/app/.env"))).isEqualTo("permission denied");
        assertThat(ReadFailures.why(new NoSuchFileException("/srv/app/.env"))).isEqualTo("no such file or directory");
        assertThat(ReadFailures.why(new FileSystemException("/srv/app/.env", null, "Input/output error")))
                .isEqualTo("Input/output error");
        assertThat(ReadFailures.why(new IOException("not a valid zip: truncated central directory")))
                .isEqualTo("not a valid zip: truncated central directory");
        assertThat(ReadFailures.why(new IOException())).isEqualTo("an input/output error");
    }

    @Test
    void shouldGiveTheSystemsReasonForAFileThatIsNoFile() throws Exception {
        Path directory = Files.createDirectory(tmp.resolve("dir"));
        try {
            Files.readAllBytes(directory);
        } catch (IOException e) {
            assertThat(ReadFailures.why(e)).isEqualTo("Is a directory").doesNotContain(tmp.toString());
            return;
        }
        throw new AssertionError("reading a directory as a file succeeded");
    }
}
