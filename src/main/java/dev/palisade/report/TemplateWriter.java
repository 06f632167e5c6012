package dev.palisade.report;

import com.samskivert.mustache.BasicCollector;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A user's Mustache template filled with the report's JSON model (the document {@code --format json}
 * writes, as maps, lists and scalars). Mustache is logic-less, and this engine is confined further: the
 * model is only maps and lists (no Java object's methods can be reached through it) and partials
 * ({@code {{> name}}}) are refused, so a template can neither run code nor read a file.
 * {@code {{name}}} is HTML-escaped; {@code {{{name}}}} is not.
 */
public final class TemplateWriter implements ReportWriter {
    private final Template template;

    private TemplateWriter(Template template) {
        this.template = template;
    }

    /** Compiles {@code text}; an {@link IllegalArgumentException} says where a template is malformed. */
    public static TemplateWriter compile(String text) {
        try {
            return new TemplateWriter(Mustache.compiler()
                    .withCollector(new MapsAndListsOnly())
                    .withLoader(name -> {
                        throw new MustacheException("partials ({{> " + name + "}}) are not supported");
                    })
                    .defaultValue("")
                    .compile(text));
        } catch (MustacheException e) {
            throw new IllegalArgumentException("the template cannot be used: " + e.getMessage(), e);
        }
    }

    @Override
    public String format() {
        return "template";
    }

    @Override
    public void write(ScanReport report, OutputStream out) throws IOException {
        Map<String, Object> model = JsonReportWriter.toModel(report);
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        try {
            template.execute(model, writer);
        } catch (MustacheException e) {
            throw new IOException("the template failed: " + e.getMessage(), e);
        }
        writer.flush();
    }

    /** Looks names up in maps and lists only, never through reflection on Java objects. */
    private static final class MapsAndListsOnly extends BasicCollector {
        @Override
        public <K, V> Map<K, V> createFetcherCache() {
            return new ConcurrentHashMap<>();
        }
    }
}
