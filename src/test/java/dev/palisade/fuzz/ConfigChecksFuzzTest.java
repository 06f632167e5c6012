package dev.palisade.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.ConfigScanner;
import dev.palisade.checks.DockerfileChecks;
import dev.palisade.source.StructuredText;
import java.io.IOException;
import java.time.LocalDate;
import org.junit.jupiter.api.Timeout;

/**
 * Configuration files found in an artifact: each is given to {@link ConfigScanner} under the name
 * that makes it the kind under test, so the parse, the recognition and the checks all run. The
 * scanner's contract: findings and problems, never an exception.
 */
@Timeout(10)
class ConfigChecksFuzzTest {
    private static final CheckCatalog CATALOG = CheckCatalog.load();
    private final ConfigScanner scanner =
            new ConfigScanner(CATALOG, Fuzzing.LIMITS.maxFileBytes(), LocalDate.of(2026, 1, 1));
    private final DockerfileChecks dockerfiles = new DockerfileChecks(CATALOG);

    @FuzzTest
    void dockerfile(byte[] input) {
        dockerfiles.evaluate("Dockerfile", Fuzzing.utf8(input));
        scanOne("app/Dockerfile", input);
    }

    @FuzzTest
    void kubernetes(byte[] input) {
        scanOne("deploy/workloads.yaml", input);
    }

    @FuzzTest
    void compose(byte[] input) {
        scanOne("docker-compose.yml", input);
    }

    @FuzzTest
    void samTemplate(byte[] input) {
        scanOne("template.yaml", input);
        scanOne("template.json", input);
    }

    @FuzzTest
    void serverless(byte[] input) {
        scanOne("serverless.yml", input);
    }

    /** The guarded JSON, YAML and TOML parsing every lock file and manifest goes through. */
    @FuzzTest
    void structuredText(byte[] input) {
        try {
            StructuredText.yamlDocuments(input);
        } catch (IOException expected) {
            // not YAML, or over a guard
        }
        try {
            StructuredText.keyLines(input, false);
        } catch (IOException expected) {
            // not YAML, or over a guard
        }
        try {
            StructuredText.json(input);
        } catch (IOException expected) {
            // not JSON
        }
        try {
            StructuredText.toml(input);
        } catch (IOException expected) {
            // not TOML
        }
    }

    private void scanOne(String path, byte[] input) {
        scanner.scan(new MemoryTree().file(path, input, 0644));
    }
}
