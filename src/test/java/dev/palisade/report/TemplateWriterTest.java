package dev.palisade.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TemplateWriterTest {

    private static String fill(String template) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TemplateWriter.compile(template).write(HtmlWriterTest.report(), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void fillsTheTemplateWithTheJsonReportModel() throws IOException {
        String text =
                fill("{{tool.name}}|{{#vulnerabilities}}{{id}} {{severity}} {{package.purl}};{{/vulnerabilities}}");

        assertThat(text).isEqualTo("palisade|GHSA-xxxx-yyyy-zzzz HIGH pkg:npm/evil@1.0.0;");
    }

    @Test
    void escapesHtmlUnlessAskedForTripleBraces() throws IOException {
        assertThat(fill("{{#packages}}{{name}}{{/packages}}"))
                .doesNotContain("<script>")
                .contains("&lt;script&gt;");
        assertThat(fill("{{#packages}}{{{name}}}{{/packages}}")).startsWith("<script>");
    }

    @Test
    void reachesNoJavaMethodThroughTheModel() throws IOException {
        // on a plain reflective engine these would call String.getClass() and Class.getClassLoader()
        assertThat(fill("[{{tool.name.class}}][{{tool.name.class.classLoader}}][{{tool.name.bytes}}]"))
                .isEqualTo("[][][]");
    }

    @Test
    void refusesPartialsSoATemplateCannotReadFiles() {
        assertThatThrownBy(() -> fill("{{> /etc/passwd}}")).hasMessageContaining("partials");
    }

    @Test
    void saysWhereATemplateIsMalformed() {
        assertThatThrownBy(() -> TemplateWriter.compile("{{#packages}}unclosed"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("template");
    }
}
