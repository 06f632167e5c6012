package dev.palisade.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Dockerfile checks on files that only parse right the way BuildKit parses them. */
class DockerfileChecksTest {
    static final Path FIXTURES = ChecksTest.FIXTURES;
    static final String DIGEST = "@sha256:1111111111111111111111111111111111111111111111111111111111111111";

    private final DockerfileChecks checks = new DockerfileChecks(ChecksTest.CATALOG);

    private List<Misconfiguration> evaluate(String fixture) throws Exception {
        return checks.evaluate(
                "Dockerfile", Files.readString(FIXTURES.resolve(fixture).resolve("Dockerfile")));
    }

    private static List<String> found(List<Misconfiguration> findings) {
        return findings.stream()
                .map(m -> m.check().id() + "@" + m.line())
                .sorted()
                .toList();
    }

    @Test
    void shouldCheckHeredocBodiesAsPartOfTheirRunAndNeverAsInstructions() throws Exception {
        List<Misconfiguration> found = evaluate("dockerfile-heredoc");

        assertThat(found(found)).containsExactly("PAL-2004@16", "PAL-2004@2", "PAL-2006@2", "PAL-2007@2", "PAL-2007@7");
        assertThat(found).filteredOn(m -> m.line() == 7).singleElement().satisfies(m -> assertThat(m.message())
                .isEqualTo("apt-get install without versions: ca-certificates curl"));
    }

    @Test
    void shouldJudgeTheBaseImageThatArgumentsBeforeTheFirstFromSubstitute() throws Exception {
        List<Misconfiguration> found = evaluate("dockerfile-arg-from");

        assertThat(found)
                .extracting(m -> m.check().id() + "@" + m.line() + " " + m.message())
                .containsExactly(
                        "PAL-2001@7 FROM debian:12: no digest (written FROM ${BASE})",
                        "PAL-2001@9 FROM ubuntu: no tag (latest) and no digest (written FROM ${FLAVOUR:-ubuntu})",
                        "PAL-2001@10 FROM docker.io/library/python:3.12: no digest (written FROM ${IMAGE})");
    }

    @Test
    void shouldApplyTheTrustedSourcesPolicyToSubstitutedImagesButNotToStageNames() throws Exception {
        DockerfileChecks policed =
                new DockerfileChecks(ChecksTest.CATALOG, new TrustedSources(List.of("registry.example.com"), true));

        List<Misconfiguration> found = policed.evaluate(
                "Dockerfile",
                Files.readString(FIXTURES.resolve("dockerfile-arg-from").resolve("Dockerfile")));

        assertThat(found)
                .filteredOn(m -> m.check().id().equals("PAL-1007"))
                .extracting(Misconfiguration::line)
                .containsExactly(7, 8, 9, 10);
        assertThat(found)
                .filteredOn(m -> m.check().id().equals("PAL-1008"))
                .extracting(Misconfiguration::line)
                .containsExactly(7, 9, 10);
        assertThat(found)
                .filteredOn(m -> m.line() == 7 && m.check().id().equals("PAL-1007"))
                .singleElement()
                .satisfies(m -> assertThat(m.message()).startsWith("FROM debian:12 comes from registry-1.docker.io"));
    }

    @Test
    void shouldFollowTheEscapeDirectiveOfAWindowsDockerfile() throws Exception {
        assertThat(found(evaluate("dockerfile-escape"))).containsExactly("PAL-2004@5");
    }

    @Test
    void shouldJoinContinuationsAcrossEmptyAndCommentLinesAsBuildKitDoes() throws Exception {
        List<Misconfiguration> found = evaluate("dockerfile-continuation");

        assertThat(found(found)).containsExactly("PAL-2004@9", "PAL-2007@3");
        assertThat(found).filteredOn(m -> m.line() == 3).singleElement().satisfies(m -> assertThat(m.message())
                .isEqualTo("apt-get install without versions: curl"));
    }

    static final List<String> SECRETS = List.of(
            "Sup3rS3cretPass",
            "S3cretAdminPw",
            "AnotherS3cret99",
            "payloadpart",
            "tok_live_1234567890abcdef",
            "WgetPassw0rd123",
            "hunter2-but-longer",
            "ghp_abcdefghijklmnopqrstuvwxyz0123456789AB",
            "OtherPassw0rd",
            "glpat-abcdefghij0123456789");

    static String dockerfileWithSecrets() {
        return """
                FROM debian:12%s
                ADD https://deploy:Sup3rS3cretPass@artifacts.example.com/tool.tar.gz /opt/
                RUN curl -u admin:S3cretAdminPw https://example.com/install.sh | sh
                RUN curl -fsSL https://ci:AnotherS3cret99@example.com/get.sh | bash
                RUN curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payloadpart.signature" https://example.com/i.sh | sh
                RUN API_TOKEN=tok_live_1234567890abcdef ./install.sh && curl https://x.example.com/a.sh | sh
                RUN wget --password=WgetPassw0rd123 -O- https://example.com/s.sh | sh
                ENV DB_PASSWORD=hunter2-but-longer
                RUN curl https://ghp_abcdefghijklmnopqrstuvwxyz0123456789AB@raw.example.com/x/y/z.sh | sh
                RUN curl --user "ops:OtherPassw0rd" https://example.com/b.sh | sh && apt-get install -y https://glpat-abcdefghij0123456789@x/p.deb
                USER 10001
                """
                .formatted(DIGEST);
    }

    @Test
    void shouldNeverQuoteACredentialInAFinding() {
        List<Misconfiguration> found = checks.evaluate("Dockerfile", dockerfileWithSecrets());

        assertThat(found(found))
                .containsExactly(
                        "PAL-2003@2",
                        "PAL-2004@10",
                        "PAL-2004@3",
                        "PAL-2004@4",
                        "PAL-2004@5",
                        "PAL-2004@6",
                        "PAL-2004@7",
                        "PAL-2004@9",
                        "PAL-2005@8",
                        "PAL-2007@10");
        for (Misconfiguration m : found) {
            for (String secret : SECRETS) {
                assertThat(m.message()).as(m.check().id() + "@" + m.line()).doesNotContain(secret);
                assertThat(m.keyPath()).doesNotContain(secret);
            }
        }
        assertThat(found)
                .filteredOn(m -> m.check().id().equals("PAL-2003"))
                .singleElement()
                .satisfies(m -> assertThat(m.message())
                        .isEqualTo("ADD https://deploy:Su****@artifacts.example.com/tool.tar.gz"));
    }

    @Test
    void shouldKeepCredentialsOutOfEveryReportFormat(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), dockerfileWithSecrets());

        for (String format : List.of("table", "json", "sarif", "cyclonedx")) {
            Cli.Result result = Cli.run("config", dir.toString(), "-f", format);

            if (!format.equals("cyclonedx")) { // CycloneDX carries vulnerabilities, not misconfigurations
                assertThat(result.out()).as(format).contains("PAL-2004");
            }
            for (String secret : SECRETS) {
                assertThat(result.out() + result.err()).as(format).doesNotContain(secret);
            }
        }
    }
}
