package dev.palisade.assess.render;

import dev.palisade.assess.Assessment;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/** The views of an assessment. */
public enum AssessmentFormat {
    TABLE,
    JSON,
    MARKDOWN,
    HTML;

    public static AssessmentFormat parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown format '" + text + "' (use table, json, markdown or html)");
        }
    }

    public void write(Assessment assessment, OutputStream out) throws IOException {
        switch (this) {
            case JSON -> new JsonAssessmentWriter().write(assessment, out);
            case MARKDOWN -> new TextAssessmentWriter(true).write(assessment, out);
            case HTML -> new HtmlAssessmentWriter().write(assessment, out);
            default -> new TextAssessmentWriter(false).write(assessment, out);
        }
    }
}
