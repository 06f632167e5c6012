package dev.palisade.catalog.dpkg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a dpkg status file (deb822 control format) into stanzas of fields. Continuation lines are
 * folded into their field; a line that fits no field is reported with its line number.
 */
public final class DpkgStatusParser {
    private DpkgStatusParser() {}

    /** One stanza with the line it starts on. */
    public record Stanza(int line, Map<String, String> fields) {
        public String get(String field) {
            return fields.getOrDefault(field, "");
        }
    }

    /** A line that fits no field: its number and what is wrong with it. */
    public record MalformedLine(int line, String reason) {
        @Override
        public String toString() {
            return "line " + line + ": " + reason;
        }
    }

    public record Result(List<Stanza> stanzas, List<MalformedLine> malformedLines) {}

    public static Result parse(String text) {
        List<Stanza> stanzas = new ArrayList<>();
        List<MalformedLine> malformed = new ArrayList<>();
        Map<String, String> fields = new LinkedHashMap<>();
        String lastField = null;
        int stanzaStart = 1;
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isBlank()) {
                if (!fields.isEmpty()) {
                    stanzas.add(new Stanza(stanzaStart, Map.copyOf(fields)));
                    fields = new LinkedHashMap<>();
                }
                lastField = null;
                stanzaStart = lineNumber + 1;
                continue;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (lastField == null) {
                    malformed.add(new MalformedLine(lineNumber, "continuation line outside a field"));
                } else {
                    fields.merge(lastField, "\n" + line.strip(), String::concat);
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                malformed.add(new MalformedLine(lineNumber, "not a 'Field: value' line"));
                lastField = null;
                continue;
            }
            lastField = line.substring(0, colon).strip();
            fields.put(lastField, line.substring(colon + 1).strip());
        }
        if (!fields.isEmpty()) {
            stanzas.add(new Stanza(stanzaStart, Map.copyOf(fields)));
        }
        return new Result(stanzas, malformed);
    }
}
