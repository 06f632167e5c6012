package dev.palisade.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.palisade.checks.DockerfileParser.Heredoc;
import dev.palisade.checks.DockerfileParser.Instruction;
import dev.palisade.checks.DockerfileParser.Parsed;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser against BuildKit's own expectations, and against hostile input. */
class DockerfileParserTest {
    private static Heredoc doc(String name, String content, boolean chomp, boolean expand) {
        return new Heredoc(name, chomp, expand, content, true);
    }

    @Test
    void shouldReadTheHeredocsBuildKitReadsFromItsOwnTestFile() throws Exception {
        String text = Files.readString(ChecksTest.FIXTURES.resolve("dockerfile-buildkit-heredoc/Dockerfile"));

        Parsed parsed = DockerfileParser.parse(text);

        // BuildKit's expectations, child by child after FROM (parser_heredoc_test.go, TestParseExtractsHeredoc)
        List<List<Heredoc>> expected = List.of(
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(doc("EMPTY", "", false, true)),
                List.of(doc("EMPTY2", "", false, true)),
                List.of(),
                List.of(doc("INDENT", "\tfoo\n\tbar\n", false, true)),
                List.of(doc("UNINDENT", "\tbaz\n\tquux\n", true, true)),
                List.of(doc("UNINDENT2", "\tbaz\n\tquux\n", true, true)),
                List.of(doc("EXPAND", "\texpand $NAME\n", true, true)),
                List.of(doc("NOEXPAND", "\tdon't expand $NAME\n", true, false)),
                List.of(doc("COPY", "echo hello world\necho foo bar\n", false, true)),
                List.of(doc(
                        "COMMENT",
                        "# internal comment\necho hello world\necho foo bar # trailing comment\n",
                        false,
                        true)),
                List.of(doc("MOUNT", "echo hello\n", false, true)),
                List.of(doc("FILE1", "content 1\n", false, true), doc("FILE2", "content 2\n", false, true)),
                List.of(doc("EOF", "\"foo\"\n'bar'\n", false, true)),
                List.of(doc("X", "Y\n", false, true), doc("Y", "X\n", false, true)),
                List.of(doc("COMPLEX", "print('hello world')\n", false, true)),
                List.of(doc("file.txt", "hello world\n", false, true)),
                List.of(doc("eof", "echo foo\n", false, false)),
                List.of(doc("eo'f", "echo foo\n", false, true)),
                List.of(doc("eo'f", "echo foo\n", false, false)),
                List.of(doc("one two", "echo bar\n", false, false)),
                List.of(doc("$EOF", "", false, true)),
                List.of(doc("EOF", "", false, true)),
                List.of(doc("EOF", "", false, true)));
        assertThat(parsed.instructions()).hasSize(expected.size() + 1);
        assertThat(parsed.instructions().subList(1, parsed.instructions().size()))
                .extracting(Instruction::heredocs)
                .containsExactlyElementsOf(expected);
        assertThat(parsed.instructions())
                .extracting(Instruction::keyword)
                .contains("INVALID")
                .doesNotContain("ECHO", "CONTENT", "PRINT('HELLO");
        assertThat(parsed.problems()).isEmpty();
    }

    @Test
    void shouldFindHeredocDelimitersAsBuildKitDoes() {
        assertThat(names("RUN <<- EOF\n\tEOF\n")).containsExactly("EOF");
        assertThat(names("RUN << -EOF\n-EOF\n")).containsExactly("-EOF");
        assertThat(names("RUN 4<<EOF\nEOF\n")).containsExactly("EOF");
        assertThat(names("RUN <<EOF <<EOF2\nEOF\nEOF2\n")).containsExactly("EOF", "EOF2");
        assertThat(names("RUN '<<EOF'\n")).isEmpty();
        assertThat(names("RUN \"<<EOF\"\n")).isEmpty();
        assertThat(names("RUN [\"<<EOF\"]\nRUN [\"<<'EOF'\"]\n")).isEmpty();
        assertThat(names("ONBUILD RUN <<EOF\nFROM x\nEOF\n")).containsExactly("EOF");
        assertThat(names("ENV A=<<EOF\nUSER root\n")).isEmpty();
        assertThat(names("RUN apt-get update && \\\n  cat <<EOF > /x\nhello\nEOF\n"))
                .containsExactly("EOF");
    }

    private static List<String> names(String text) {
        return DockerfileParser.parse(text).instructions().stream()
                .flatMap(i -> i.heredocs().stream())
                .map(Heredoc::name)
                .toList();
    }

    @Test
    void shouldReportAnUnterminatedHeredocAndStillCheckItsBody() {
        DockerfileChecks checks = new DockerfileChecks(ChecksTest.CATALOG);

        DockerfileChecks.Evaluation result = checks.evaluateWithProblems(
                "Dockerfile",
                "FROM alpine:3.19\nUSER 10001\nRUN <<EOT\ncurl -fsSL https://example.com/i.sh | sh\nUSER root\n");

        assertThat(result.misconfigurations())
                .extracting(m -> m.check().id() + "@" + m.line())
                .containsExactly("PAL-2001@1", "PAL-2004@3");
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("Dockerfile");
            assertThat(p.reason()).startsWith("line 3: heredoc EOT is not terminated");
        });
        assertThat(DockerfileParser.parse("RUN <<'EOT\nx\n").problems())
                .extracting(DockerfileParser.ParseProblem::message)
                .containsExactly("heredoc delimiter 'EOT has unmatched quotes");
    }

    @Test
    void shouldReadWindowsLineEndings() {
        DockerfileChecks checks = new DockerfileChecks(ChecksTest.CATALOG);

        DockerfileChecks.Evaluation result = checks.evaluateWithProblems(
                "Dockerfile",
                "# escape=`\r\nFROM a:1" + DockerfileChecksTest.DIGEST
                        + "\r\nRUN apt-get update `\r\n  && apt-get install -y curl\r\n"
                        + "RUN <<EOT\r\ncurl x | sh\r\nEOT\r\nUSER 1\r\n");

        assertThat(result.misconfigurations())
                .extracting(m -> m.check().id() + "@" + m.line() + " " + m.message())
                .containsExactly("PAL-2007@3 apt-get install without versions: curl", "PAL-2004@5 RUN curl x | sh");
        assertThat(result.problems()).isEmpty();
    }

    @Test
    void shouldHonourParserDirectivesOnlyAtTheTopAndOnlyOnce() {
        assertThat(DockerfileParser.parse("\uFEFF# ESCAPE = `\nFROM x\n").escape())
                .isEqualTo('`');
        assertThat(DockerfileParser.parse("#syntax=docker/dockerfile:1\n  #escape=`\nFROM x\n")
                        .escape())
                .isEqualTo('`');
        assertThat(DockerfileParser.parse("# a comment\n# escape=`\nFROM x\n").escape())
                .isEqualTo('\\');
        assertThat(DockerfileParser.parse("\n# escape=`\nFROM x\n").escape()).isEqualTo('\\');
        assertThat(DockerfileParser.parse("FROM x\n# escape=`\n").escape()).isEqualTo('\\');
        assertThat(DockerfileParser.parse("# unknown=1\n# escape=`\nFROM x\n").escape())
                .isEqualTo('\\');

        Parsed twice = DockerfileParser.parse("# escape=`\n# escape=\\\nFROM x\n");
        Parsed invalid = DockerfileParser.parse("# escape=!\nFROM x\n");

        assertThat(twice.escape()).isEqualTo('`');
        assertThat(twice.problems())
                .extracting(DockerfileParser.ParseProblem::line)
                .containsExactly(2);
        assertThat(invalid.escape()).isEqualTo('\\');
        assertThat(invalid.problems()).singleElement().satisfies(p -> assertThat(p.message())
                .contains("neither"));
    }

    @Test
    void shouldJoinContinuationLinesWithoutAddingSpaces() {
        Parsed parsed = DockerfileParser.parse("RUN a\\\n  b \\  \n\n# c\nc\nRUN echo \\\\\nRUN x\n# escape=`\n\\\n");

        assertThat(parsed.instructions())
                .extracting(i -> i.keyword() + " " + i.arguments() + " " + i.line() + "-" + i.endLine())
                .containsExactly("RUN a  b c 1-5", "RUN echo \\\\ 6-6", "RUN x 7-7");
    }

    /** A continued RUN of downloads, a run of options, comments and an unterminated heredoc: {@code lines} lines in all. */
    private static String hostileDockerfile(int lines) {
        int quarter = lines / 4;
        StringBuilder text = new StringBuilder("FROM alpine:3.19\nRUN curl ");
        text.append("curl \\\n".repeat(quarter))
                .append("x\nRUN apt-get ")
                .append("-y \\\n".repeat(quarter))
                .append("install curl\n");
        text.append("#\n".repeat(quarter)).append("RUN <<EOT\n").append("curl x|sh\n".repeat(quarter));
        return text.toString();
    }

    @Test
    void shouldParseAndCheckAMillionLinesOfHostileInputInLinearTime() {
        DockerfileChecks checks = new DockerfileChecks(ChecksTest.CATALOG);
        checks.evaluateWithProblems(
                "Dockerfile", hostileDockerfile(40_000)); // warms the JIT so the bound measures growth
        String dockerfile = hostileDockerfile(1_000_000);

        DockerfileChecks.Evaluation result = assertTimeoutPreemptively(
                Duration.ofSeconds(10), () -> checks.evaluateWithProblems("Dockerfile", dockerfile));

        assertThat(dockerfile.lines().count()).isGreaterThan(1_000_000);
        // 250 000 options before install are not read as an install: option runs are bounded at 20
        assertThat(result.misconfigurations())
                .extracting(m -> m.check().id() + "@" + m.line())
                .containsExactlyInAnyOrder("PAL-2001@1", "PAL-2004@750004", "PAL-2002@1");
        assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.reason())
                .startsWith("line 750004: heredoc EOT"));
    }

    @Test
    void shouldGiveUpOnSubstitutionsThatGrowOrNestWithoutEnd() {
        StringBuilder text = new StringBuilder("ARG A=xy\n");
        for (int i = 0; i < 64; i++) {
            text.append("ARG A=${A}${A}\n");
        }
        text.append("ARG B=")
                .append("${B:-".repeat(5000))
                .append("x")
                .append("}".repeat(5000))
                .append('\n');
        text.append("FROM ${A}\nFROM ${B}\nUSER 10001\n");
        DockerfileChecks checks = new DockerfileChecks(ChecksTest.CATALOG);

        List<Misconfiguration> found =
                assertTimeoutPreemptively(Duration.ofSeconds(5), () -> checks.evaluate("Dockerfile", text.toString()));

        assertThat(found).isEmpty();
    }
}
