package dev.palisade.report;

/**
 * Text from a scanned artifact made safe for a terminal: names, paths and versions come from the
 * attacker's files, and an escape sequence in them could retitle the window, clear the screen or
 * hide lines. Every control character (C0, DEL, C1), and the Unicode line separators and
 * bidirectional overrides that reorder what is shown, is written as a visible escape instead.
 */
public final class TerminalText {
    private TerminalText() {}

    public static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isUnsafe(c)) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                switch (c) {
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default ->
                        out.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
                }
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    private static boolean isUnsafe(char c) {
        return c < 0x20
                || (c >= 0x7f && c <= 0x9f)
                || c == '\u2028'
                || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200e'
                || c == '\u200f';
    }
}
