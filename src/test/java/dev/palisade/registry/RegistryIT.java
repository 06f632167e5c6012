package dev.palisade.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.testing.Cli;
import dev.palisade.testing.JsonReports;
import dev.palisade.testing.LocalRegistry;
import dev.palisade.testing.Scans;
import dev.palisade.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scanning images in a real registry (Debian's docker-registry on 127.0.0.1), pushed there with skopeo. */
class RegistryIT {
    static final Path JVM_APP = Scans.shared().resolve("corpus/jvm-app.tar");

    static Cli.Result scan(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(TestDatabase.offlineArgs());
        all.addAll(List.of("--format", "json"));
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void shouldScanARegistryImageLikeTheSameImageOnDisk() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(null, null)) {
            registry.push(JVM_APP, "corpus/jvm-app:1.0");

            java.nio.file.Path policy = java.nio.file.Files.createTempFile("trusted", ".yaml");
            java.nio.file.Files.writeString(policy, "registries: [registry.example.com]\nrequireDigest: true\n");

            Cli.Result remote = scan(
                    "image",
                    registry.host() + "/corpus/jvm-app:1.0",
                    "--insecure",
                    "--trusted-sources",
                    policy.toString());
            Cli.Result local = scan("image", JVM_APP.toString(), "--trusted-sources", policy.toString());

            assertThat(remote.exit()).as(remote.err()).isZero();
            JsonNode remoteReport = JsonReports.read(remote.out());
            JsonNode localReport = JsonReports.read(local.out());
            assertThat(sorted(JsonReports.purls(remoteReport)))
                    .hasSize(122)
                    .isEqualTo(sorted(JsonReports.purls(localReport)));
            assertThat(JsonReports.vulnerabilities(remoteReport)).contains("CVE-2021-44228");
            assertThat(remoteReport
                            .path("artifact")
                            .path("image")
                            .path("imageId")
                            .asText())
                    .isEqualTo("sha256:07596df1209aa0a7c657a6ebe4feae421cea556cd27a0753339efaa7f2721292");
            assertThat(JsonReports.ids(remoteReport)).contains("PAL-1007", "PAL-1008");
            assertThat(JsonReports.misconfigurations(remoteReport)).anySatisfy(m -> {
                assertThat(m.path("id").asText()).isEqualTo("PAL-1007");
                assertThat(m.path("message").asText())
                        .contains("comes from " + registry.host() + ", which is not among the trusted registries");
            });
            assertThat(JsonReports.ids(localReport)).doesNotContain("PAL-1007");
        }
    }

    @Test
    void shouldAcceptASelfSignedRegistryOnlyWhenToldItIsInsecure() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(null, null, true)) {
            registry.push(JVM_APP, "corpus/jvm-app:1.0");
            String reference = registry.host() + "/corpus/jvm-app:1.0";

            Cli.Result verified = scan("image", reference);
            Cli.Result insecure = scan("image", reference, "--insecure");

            assertThat(verified.exit()).isEqualTo(2);
            assertThat(verified.err()).containsIgnoringCase("certificat");
            assertThat(insecure.exit()).as(insecure.err()).isZero();
            assertThat(JsonReports.vulnerabilities(JsonReports.read(insecure.out())))
                    .contains("CVE-2021-44228");
        }
    }

    @Test
    void shouldAuthenticateWithBasicCredentialsAndRefuseWithout() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start("scanner", "s3cret-pass")) {
            registry.push(JVM_APP, "corpus/jvm-app:1.0");
            String reference = registry.host() + "/corpus/jvm-app:1.0";

            Cli.Result anonymous = scan("image", reference, "--insecure");
            Cli.Result withEnv = Cli.runWith(
                    java.util.Map.of(
                            "PALISADE_REGISTRY_USERNAME", "scanner", "PALISADE_REGISTRY_PASSWORD", "s3cret-pass"),
                    withDb("image", reference, "--insecure", "-f", "json"));
            Cli.Result wrong = Cli.runWith(
                    java.util.Map.of("PALISADE_REGISTRY_USERNAME", "scanner", "PALISADE_REGISTRY_PASSWORD", "nope"),
                    withDb("image", reference, "--insecure"));

            assertThat(anonymous.exit()).isEqualTo(2);
            assertThat(anonymous.err()).contains("asks for a user name and password");
            assertThat(withEnv.exit()).as(withEnv.err()).isZero();
            assertThat(JsonReports.vulnerabilities(JsonReports.read(withEnv.out())))
                    .contains("CVE-2021-44228");
            assertThat(wrong.exit()).isEqualTo(2);
            assertThat(wrong.err()).contains("credentials were not accepted").doesNotContain("nope");
        }
    }

    @Test
    void shouldScanTheMatchingTagsOfARepositoryAndSummariseThem() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(null, null)) {
            registry.push(JVM_APP, "corpus/app:1.0");
            registry.push(JVM_APP, "corpus/app:1.1");
            registry.push(Scans.shared().resolve("corpus/debian-bookworm-minbase.tar"), "corpus/app:base");
            Path out = java.nio.file.Files.createTempDirectory("palisade-registry-out-");

            Cli.Result result = Cli.run(withDb(
                    "registry",
                    registry.host() + "/corpus/app",
                    "--tags",
                    "1\\..*",
                    "--insecure",
                    "--output-dir",
                    out.toString(),
                    "--exit-code",
                    "4"));
            Cli.Result none = Cli.run(withDb("registry", registry.host() + "/corpus/app", "--insecure"));

            assertThat(result.exit()).as(result.err()).isEqualTo(4);
            assertThat(result.out().lines().toList())
                    .hasSize(3)
                    .anySatisfy(l -> assertThat(l)
                            .startsWith("1.0 ")
                            .contains("debian 12")
                            .contains(" 122 ")
                            .endsWith("ok"))
                    .anySatisfy(l -> assertThat(l).startsWith("1.1 "))
                    .noneSatisfy(l -> assertThat(l).startsWith("base"));
            try (var files = java.nio.file.Files.list(out)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .containsExactlyInAnyOrder("1.0.json", "1.1.json");
            }
            assertThat(JsonReports.vulnerabilities(
                            JsonReports.read(java.nio.file.Files.readString(out.resolve("1.0.json")))))
                    .contains("CVE-2021-44228");
            assertThat(none.exit()).isEqualTo(2);
            assertThat(none.err()).contains("--all-tags, or --tags PATTERN");
        }
    }

    /**
     * The same image through {@code image REF} and through {@code registry REPO}: one pipeline, one
     * policy, so the same vulnerabilities, suppressions, check findings and secrets.
     */
    @Test
    void shouldReportExactlyWhatImageReportsForEachTag() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(null, null)) {
            registry.push(JVM_APP, "corpus/app:1.0");
            Path out = java.nio.file.Files.createTempDirectory("palisade-registry-parity-");
            Path ignore = java.nio.file.Files.createTempFile("ignore", ".yaml");
            java.nio.file.Files.writeString(
                    ignore,
                    "vulnerabilities:\n  - id: CVE-2021-44228\n    reason: tested\n"
                            + "misconfigurations:\n  - id: PAL-1001\n    reason: tested\n");
            String[] policy = {
                "--severity", "CRITICAL,HIGH", "--ignore-file", ignore.toString(), "--insecure", "--exit-code", "3"
            };

            List<String> imageArgs =
                    new ArrayList<>(List.of("image", registry.host() + "/corpus/app:1.0", "-f", "json"));
            imageArgs.addAll(List.of(policy));
            Cli.Result image = Cli.run(withDb(imageArgs.toArray(String[]::new)));
            List<String> registryArgs = new ArrayList<>(List.of(
                    "registry", registry.host() + "/corpus/app", "--tags", "1\\.0", "--output-dir", out.toString()));
            registryArgs.addAll(List.of(policy));
            Cli.Result tags = Cli.run(withDb(registryArgs.toArray(String[]::new)));

            assertThat(image.exit()).as(image.err()).isEqualTo(3);
            assertThat(tags.exit()).as(tags.err()).isEqualTo(3);
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            com.fasterxml.jackson.databind.JsonNode fromImage = json.readTree(image.out());
            com.fasterxml.jackson.databind.JsonNode fromRegistry =
                    json.readTree(out.resolve("1.0.json").toFile());
            for (String part : List.of(
                    "packages", "vulnerabilities", "suppressed", "misconfigurations", "suppressedMisconfigurations")) {
                assertThat(fromRegistry.get(part)).as(part).isEqualTo(fromImage.get(part));
            }
            assertThat(fromImage.get("vulnerabilities"))
                    .isNotEmpty()
                    .allSatisfy(v -> assertThat(v.get("severity").asText()).isIn("CRITICAL", "HIGH"));
            assertThat(fromImage.get("suppressed"))
                    .anySatisfy(v -> assertThat(v.get("id").asText()).isEqualTo("CVE-2021-44228"));
            assertThat(fromImage.get("misconfigurations")).isNotNull();
        }
    }

    static String[] withDb(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(TestDatabase.offlineArgs());
        return all.toArray(String[]::new);
    }

    static List<String> sorted(List<String> values) {
        return values.stream().sorted().toList();
    }
}
