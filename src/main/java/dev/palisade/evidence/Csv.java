package dev.palisade.evidence;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * RFC 4180 CSV. A cell that a spreadsheet would take for a formula ({@code = + - @}, tab, carriage
 * return) is prefixed with an apostrophe: the text comes from scanned artifacts.
 */
final class Csv {
    private Csv() {}

    static byte[] write(List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(cell(row.get(i)));
            }
            out.append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String cell(String value) {
        String text = value;
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.contains(",")
                || text.contains("\"")
                || text.contains("\n")
                || text.contains("\r")
                || text.startsWith("'")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
