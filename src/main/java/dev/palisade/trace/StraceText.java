package dev.palisade.trace;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The lexical rules of strace's output: quoted strings with C escapes, {@code <...>} fd annotations
 * (from {@code -yy}), nested structures, and the top-level argument list. Everything in a line may come
 * from the traced program, so nothing here trusts a delimiter that sits inside a string.
 */
final class StraceText {
    private StraceText() {}

    /**
     * The index just past the string that starts with the quote at {@code start}, or the text's length
     * when the string never ends.
     */
    static int skipString(String text, int start) {
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '"') {
                return i + 1;
            } else {
                i++;
            }
        }
        return text.length();
    }

    /** The index just past the {@code >} that closes the annotation opened at {@code start}. */
    static int skipAnnotation(String text, int start) {
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                i = skipString(text, i);
            } else if (c == '\\') {
                i += 2;
            } else if (c == '>') {
                return i + 1;
            } else {
                i++;
            }
        }
        return text.length();
    }

    /** An fd annotation opens after a number or {@code AT_FDCWD}; other {@code <} are plain text. */
    static boolean opensAnnotation(String text, int i) {
        return text.charAt(i) == '<' && i > 0 && Character.isLetterOrDigit(text.charAt(i - 1));
    }

    /**
     * Splits an argument list (the text between a call's parentheses) at its top-level commas. Returns
     * the arguments and, through {@code end}, where the list closed: the index of the closing parenthesis,
     * or -1 when the text ended first (an unfinished call).
     */
    static Arguments arguments(String text, int start) {
        List<String> args = new ArrayList<>();
        int depth = 0;
        int argStart = start;
        int i = start;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                i = skipString(text, i);
                continue;
            }
            if (opensAnnotation(text, i)) {
                i = skipAnnotation(text, i);
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                depth = Math.max(0, depth - 1);
            } else if (c == ')') {
                if (depth == 0) {
                    addArgument(args, text.substring(argStart, i));
                    return new Arguments(List.copyOf(args), i);
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                addArgument(args, text.substring(argStart, i));
                argStart = i + 1;
            }
            i++;
        }
        addArgument(args, text.substring(argStart));
        return new Arguments(List.copyOf(args), -1);
    }

    private static void addArgument(List<String> args, String raw) {
        String trimmed = raw.strip();
        if (!trimmed.isEmpty() || !args.isEmpty()) {
            args.add(trimmed);
        }
    }

    /** A call's arguments and the index of its closing parenthesis (-1: the list never closed). */
    record Arguments(List<String> values, int end) {
        String get(int index) {
            return index < values.size() ? values.get(index) : "";
        }
    }

    /**
     * The value of a quoted argument ({@code "/tmp/a\"b"} or {@code "x"...}), C escapes decoded, or
     * null when the argument is not a string (NULL, an address).
     */
    static @Nullable String unquote(String argument) {
        String a = argument.strip();
        if (a.startsWith("@\"")) {
            a = a.substring(1); // an abstract unix socket name
        }
        if (!a.startsWith("\"")) {
            return null;
        }
        int end = skipString(a, 0);
        if (end < 2 || a.charAt(end - 1) != '"') {
            return null;
        }
        return unescape(a.substring(1, end - 1));
    }

    /** Decodes C escapes ({@code \n \t \" \\ \xHH \ooo}) into bytes, read as UTF-8. */
    static String unescape(String escaped) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(escaped.length());
        int i = 0;
        while (i < escaped.length()) {
            char c = escaped.charAt(i);
            if (c != '\\' || i + 1 >= escaped.length()) {
                // strace's output is read one byte per char (ISO-8859-1), so a raw byte is a char below 256
                if (c < 256) {
                    bytes.write(c);
                } else {
                    byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                    bytes.write(encoded, 0, encoded.length);
                }
                i++;
                continue;
            }
            char next = escaped.charAt(i + 1);
            switch (next) {
                case 'n' -> bytes.write('\n');
                case 't' -> bytes.write('\t');
                case 'r' -> bytes.write('\r');
                case 'v' -> bytes.write(0x0b);
                case 'f' -> bytes.write('\f');
                case 'a' -> bytes.write(0x07);
                case 'b' -> bytes.write('\b');
                case 'x' -> {
                    int end = i + 2;
                    while (end < escaped.length() && end < i + 4 && Character.digit(escaped.charAt(end), 16) >= 0) {
                        end++;
                    }
                    if (end > i + 2) {
                        bytes.write(Integer.parseInt(escaped.substring(i + 2, end), 16));
                        i = end;
                        continue;
                    }
                    bytes.write('x');
                }
                default -> {
                    if (next >= '0' && next <= '7') {
                        int end = i + 1;
                        while (end < escaped.length()
                                && end < i + 4
                                && escaped.charAt(end) >= '0'
                                && escaped.charAt(end) <= '7') {
                            end++;
                        }
                        bytes.write(Integer.parseInt(escaped.substring(i + 1, end), 8) & 0xff);
                        i = end;
                        continue;
                    }
                    bytes.write(next);
                }
            }
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Splits a fd argument such as {@code 3</tmp/x>} or {@code AT_FDCWD</srv>} into its annotation,
     * decoded; null when there is none.
     */
    static @Nullable String annotation(String fdArgument) {
        String a = fdArgument.strip();
        int open = -1;
        for (int i = 0; i < a.length(); i++) {
            if (opensAnnotation(a, i)) {
                open = i;
                break;
            }
            if (!Character.isLetterOrDigit(a.charAt(i)) && a.charAt(i) != '_' && a.charAt(i) != '-') {
                return null;
            }
        }
        if (open < 0) {
            return null;
        }
        int end = skipAnnotation(a, open);
        if (a.charAt(end - 1) != '>') {
            return null;
        }
        return unescape(a.substring(open + 1, end - 1));
    }

    /**
     * The fields of a structure such as {@code {sa_family=AF_INET, sin_port=htons(80), ...}}: the
     * value of {@code name=}, raw, or null.
     */
    static @Nullable String field(String structure, String name) {
        String s = structure.strip();
        if (!s.startsWith("{")) {
            return null;
        }
        Arguments fields = arguments(s.endsWith("}") ? s.substring(1, s.length() - 1) + ")" : s.substring(1), 0);
        for (String f : fields.values()) {
            int eq = f.indexOf('=');
            if (eq > 0 && f.substring(0, eq).strip().equals(name)) {
                return f.substring(eq + 1).strip();
            }
        }
        return null;
    }
}
