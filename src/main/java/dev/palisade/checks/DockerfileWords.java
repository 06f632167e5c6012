package dev.palisade.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Words of a Dockerfile line as BuildKit's shell lexer sees them ({@code frontend/dockerfile/shell/lex.go}):
 * quotes, the escape token, and {@code $NAME} / {@code ${NAME}} / {@code ${NAME:-word}} substitution.
 * Only the forms the checks need; a form it does not know leaves the word unresolved rather than guessed.
 */
final class DockerfileWords {
    /** Longer substitutions are given up on: {@code ARG A=$A$A} repeated would double each time. */
    static final int MAX_EXPANDED_CHARS = 8192;

    private static final int MAX_NESTING = 16;

    private DockerfileWords() {}

    /** A heredoc delimiter without its quotes, and whether it had any (then the body is not expanded). */
    record Unquoted(String text, boolean quoted) {}

    /**
     * A word after substitution.
     *
     * @param resolved false when it used a variable with no value (one given at build time) or a form not supported
     */
    record Expanded(String value, boolean resolved) {}

    /**
     * The words of a line with quotes and escapes kept, split on white space outside quotes; {@code <<}
     * joins the word after it ({@code << EOF} is the heredoc {@code EOF}, as in BuildKit). Escapes are
     * always the backslash here, as in BuildKit's heredoc detection.
     */
    static List<String> heredocCandidates(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        int n = line.length();
        int i = 0;
        while (i < n) {
            char c = line.charAt(i);
            if (quote == 0) {
                if (Character.isWhitespace(c)) {
                    flush(words, word);
                    i++;
                } else if (c == '\\' && i + 1 < n) {
                    word.append(c).append(line.charAt(i + 1));
                    i += 2;
                } else if (c == '\'' || c == '"') {
                    quote = c;
                    word.append(c);
                    i++;
                } else if (c == '<' && i + 1 < n && line.charAt(i + 1) == '<') {
                    word.append("<<");
                    i += 2;
                    if (i < n && line.charAt(i) == '-') {
                        word.append('-');
                        i++;
                    }
                    int spaces = i;
                    while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                        i++;
                    }
                    word.append(line, spaces, i);
                } else {
                    word.append(c);
                    i++;
                }
            } else {
                if (quote == '"' && c == '\\' && i + 1 < n) {
                    word.append(c).append(line.charAt(i + 1));
                    i += 2;
                    continue;
                }
                word.append(c);
                if (c == quote) {
                    quote = 0;
                }
                i++;
            }
        }
        flush(words, word);
        return words;
    }

    private static void flush(List<String> words, StringBuilder word) {
        if (word.length() > 0) {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    /** A heredoc delimiter with shell quoting removed; null when a quote is not closed. */
    static @Nullable Unquoted unquote(String raw) {
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        int n = raw.length();
        while (i < n) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < n) {
                out.append(raw.charAt(i + 1));
                i += 2;
            } else if (c == '\'' || c == '"') {
                int close = c == '\'' ? raw.indexOf('\'', i + 1) : closingDoubleQuote(raw, i + 1);
                if (close < 0) {
                    return null;
                }
                appendQuoted(out, raw, i + 1, close, c == '"' ? '\\' : 0);
                quoted = true;
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return new Unquoted(out.toString(), quoted);
    }

    /**
     * The white-space separated words of an instruction's arguments, quotes and escapes kept
     * (BuildKit's {@code parseWords} for ARG, ENV and FROM).
     */
    static List<String> rawWords(String arguments, char escape) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        int n = arguments.length();
        for (int i = 0; i < n; i++) {
            char c = arguments.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                flush(words, word);
                continue;
            }
            word.append(c);
            if (c == escape && quote != '\'' && i + 1 < n) {
                word.append(arguments.charAt(++i));
            } else if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
        }
        flush(words, word);
        return words;
    }

    /**
     * One word with quotes removed and variables substituted from {@code variables}; a name mapped to
     * null is declared without a value.
     */
    static Expanded expand(String word, Map<String, @Nullable String> variables, char escape) {
        Expansion expansion = new Expansion(variables, escape);
        String value = expansion.word(word, 0);
        return value == null ? new Expanded(word, false) : new Expanded(value, expansion.resolved);
    }

    private static int closingDoubleQuote(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    private static void appendQuoted(StringBuilder out, String s, int from, int to, char escape) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (escape != 0 && c == escape && i + 1 < to && "\"$`\\".indexOf(s.charAt(i + 1)) >= 0) {
                c = s.charAt(++i);
            }
            out.append(c);
        }
    }

    /** One substitution: it stops, unresolved, on what it cannot do faithfully. */
    private static final class Expansion {
        private final Map<String, @Nullable String> variables;
        private final char escape;
        private boolean resolved = true;

        Expansion(Map<String, @Nullable String> variables, char escape) {
            this.variables = variables;
            this.escape = escape;
        }

        /** The word processed; null when it is malformed, too deep or too long. */
        @Nullable
        String word(String s, int depth) {
            if (depth > MAX_NESTING) {
                return null;
            }
            StringBuilder out = new StringBuilder();
            char quote = 0;
            int n = s.length();
            int i = 0;
            while (i < n) {
                if (out.length() > MAX_EXPANDED_CHARS) {
                    return null;
                }
                char c = s.charAt(i);
                if (quote == '\'') {
                    if (c == '\'') {
                        quote = 0;
                    } else {
                        out.append(c);
                    }
                    i++;
                } else if (c == escape
                        && i + 1 < n
                        && (quote == 0 || "\"$".indexOf(s.charAt(i + 1)) >= 0 || s.charAt(i + 1) == escape)) {
                    out.append(s.charAt(i + 1));
                    i += 2;
                } else if (c == '$') {
                    int next = variable(s, i, out, depth);
                    if (next < 0) {
                        return null;
                    }
                    i = next;
                } else if (quote == 0 && (c == '\'' || c == '"')) {
                    quote = c;
                    i++;
                } else if (quote == '"' && c == '"') {
                    quote = 0;
                    i++;
                } else {
                    out.append(c);
                    i++;
                }
            }
            return quote == 0 && out.length() <= MAX_EXPANDED_CHARS ? out.toString() : null;
        }

        /** Substitutes the variable at {@code s[dollar]} into {@code out}; the index after it, or -1. */
        private int variable(String s, int dollar, StringBuilder out, int depth) {
            int n = s.length();
            int i = dollar + 1;
            if (i < n && s.charAt(i) == '{') {
                int close = closingBrace(s, i + 1);
                if (close < 0) {
                    return -1;
                }
                String inner = s.substring(i + 1, close);
                int name = 0;
                while (name < inner.length() && isNameChar(inner.charAt(name))) {
                    name++;
                }
                if (name == 0) {
                    return -1;
                }
                String value = braced(inner.substring(0, name), inner.substring(name), depth);
                if (value == null) {
                    return -1;
                }
                out.append(value);
                return close + 1;
            }
            int end = i;
            while (end < n && isNameChar(s.charAt(end))) {
                end++;
            }
            if (end == i) {
                out.append('$');
                return i;
            }
            out.append(value(s.substring(i, end)));
            return end;
        }

        private @Nullable String braced(String name, String operation, int depth) {
            String value = variables.get(name);
            boolean set = value != null;
            boolean nonEmpty = value != null && !value.isEmpty();
            if (operation.isEmpty()) {
                return value(name);
            }
            boolean colon = operation.startsWith(":");
            String op = colon ? operation.substring(1) : operation;
            if (op.isEmpty()) {
                return null;
            }
            boolean present = colon ? nonEmpty : set;
            String word = op.substring(1);
            return switch (op.charAt(0)) {
                case '-' -> present ? value : word(word, depth + 1);
                case '+' -> present ? word(word, depth + 1) : "";
                case '?' -> {
                    if (!present) {
                        resolved = false;
                    }
                    yield present ? value : "";
                }
                default -> {
                    resolved = false; // ${NAME#pattern} and the like: not worth guessing
                    yield "";
                }
            };
        }

        private String value(String name) {
            String value = variables.get(name);
            if (value == null) {
                resolved = false;
                return "";
            }
            return value;
        }

        private int closingBrace(String s, int from) {
            int open = 1;
            for (int i = from; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == escape) {
                    i++;
                } else if (c == '{') {
                    open++;
                } else if (c == '}' && --open == 0) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static boolean isNameChar(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
