package dev.palisade.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.contrastsecurity.sarif.SarifSchema210;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.palisade.testing.Cli;
import dev.palisade.testing.Scans;
import dev.palisade.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import org.cyclonedx.Version;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden files for the report formats, from the real corpus images through the real CLI. Regenerate on
 * purpose with {@code -Dgolden.update=true} and review the diff.
 */
class ReportGoldenIT {
    private static final Path GOLDEN = Paths.get("src/test/resources/golden");

    @ParameterizedTest
    @CsvSource({
        "jvm-app.tar,json",
        "jvm-app.tar,cyclonedx",
        "jvm-app.tar,spdx-json",
        "debian-bookworm-minbase.tar,json",
        "jvm-app.tar,table",
        "jvm-app.tar,sarif"
    })
    void shouldMatchTheGoldenFile(String image, String format) throws Exception {
        Path path = Scans.shared().resolve("corpus").resolve(image);
        List<String> args =
                new java.util.ArrayList<>(List.of("image", path.toString(), "--format", format, "--list-packages"));
        args.addAll(TestDatabase.offlineArgs());
        String report = run(args.toArray(String[]::new))
                .replace(path.toString(), "CORPUS/" + image)
                .replace(TestDatabase.mirror().toString(), "MIRROR");
        if (format.equals("cyclonedx")) {
            List<ParseException> errors =
                    new JsonParser().validate(report.getBytes(StandardCharsets.UTF_8), Version.VERSION_16);
            assertThat(errors).as("CycloneDX 1.6 schema validation").isEmpty();
        }
        if (format.equals("sarif")) {
            JsonSchema schema;
            try (var in = SarifSchema210.class.getResourceAsStream("/schema/sarif-schema-2.1.0.json")) {
                schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
                        .getSchema(in);
            }
            Set<ValidationMessage> errors = schema.validate(new ObjectMapper().readTree(report));
            assertThat(errors).as("SARIF 2.1.0 schema validation").isEmpty();
        }
        if (format.equals("spdx-json")) {
            JsonSchema schema;
            try (var in = ReportGoldenIT.class.getResourceAsStream("/resources/spdx-schema-v2.3.json")) {
                schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
                        .getSchema(in);
            }
            Set<ValidationMessage> errors = schema.validate(new ObjectMapper().readTree(report));
            assertThat(errors).as("SPDX 2.3 schema validation").isEmpty();
        }
        Path golden = GOLDEN.resolve(image.replace(".tar", "") + "." + format + ".golden");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, report);
        }
        assertThat(report).isEqualTo(Files.readString(golden));
    }

    static String run(String... args) {
        Cli.Result result = Cli.run(args);
        assertThat(result.exit()).as(result.err()).isZero();
        return result.out();
    }
}
