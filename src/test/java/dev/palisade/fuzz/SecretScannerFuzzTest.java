package dev.palisade.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.SecretScanner;
import java.io.IOException;
import org.junit.jupiter.api.Timeout;

/** Every built-in secret rule run over a file's content; the time bound catches a rule that backtracks without end. */
@Timeout(10)
class SecretScannerFuzzTest {
    private final SecretScanner scanner;

    SecretScannerFuzzTest() throws IOException {
        scanner = SecretScanner.load(CheckCatalog.load(), null, SecretScanner.DEFAULT_MAX_BYTES);
    }

    @FuzzTest
    void fileContent(byte[] input) {
        scanner.scan("app/config/.env", input, null);
        scanner.scan("home/user/.ssh/id_rsa", input, null);
    }
}
