package dev.palisade.checks.iam;

import java.util.ArrayList;
import java.util.List;

/**
 * A source file as tokens: identifiers, string literals (decoded enough to compare names), numbers
 * and punctuation, with their lines; comments dropped. Not a parser: it only has to keep strings and
 * comments from being read as code, in Python, JavaScript/TypeScript and Java. The number of tokens is
 * bounded, so a hostile file costs at most {@code maxTokens} small records.
 */
final class CodeTokens {
    /** The languages whose SDK calls are read. */
    enum Language {
        PYTHON,
        JAVASCRIPT,
        JAVA
    }

    enum Kind {
        IDENT,
        /** A string with a constant value. */
        STRING,
        /** A string whose value is computed (f-string, template literal with {@code ${}}). */
        COMPUTED_STRING,
        NUMBER,
        PUNCT
    }

    record Token(Kind kind, String text, int line) {
        boolean is(String punctuation) {
            return kind == Kind.PUNCT && hasText(punctuation);
        }

        boolean isIdent(String name) {
            return kind == Kind.IDENT && hasText(name);
        }

        private boolean hasText(String other) {
            return sameText(text, other);
        }
    }

    /**
     * {@code a.equals(b)}, compared here because the scanner asks it of every token several times: under the fuzzer,
     * which hooks each {@code String.equals} call to learn the strings compared, it cost 60% of the run (169 inputs a
     * second).
     */
    static boolean sameText(String a, String b) {
        return a.length() == b.length() && startsWithAt(a, 0, b);
    }

    /** {@code text.startsWith(prefix, at)}, compared char by char for the reason {@link #sameText} gives. */
    static boolean startsWithAt(String text, int at, String prefix) {
        if (at < 0 || text.length() - at < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (text.charAt(at + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The tokens, and whether the file had more than were kept. */
    record Result(List<Token> tokens, boolean truncated) {}

    private static final String[] OPERATORS = {
        "===", "!==", "**=", "...", "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "->", "::", "+=", "-=", "*=",
        "/=", "**", "++", "--"
    };

    private final String text;
    private final Language language;
    private final int maxTokens;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int line = 1;

    private CodeTokens(String text, Language language, int maxTokens) {
        this.text = text;
        this.language = language;
        this.maxTokens = maxTokens;
    }

    static Result tokenize(String text, Language language, int maxTokens) {
        CodeTokens lexer = new CodeTokens(text, language, maxTokens);
        boolean complete = lexer.run();
        return new Result(List.copyOf(lexer.tokens), !complete);
    }

    private boolean run() {
        int n = text.length();
        while (pos < n) {
            if (tokens.size() >= maxTokens) {
                return false;
            }
            char c = text.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (language == Language.PYTHON && c == '#') {
                skipToEndOfLine();
            } else if (language != Language.PYTHON && c == '/' && peek(1) == '/') {
                skipToEndOfLine();
            } else if (language != Language.PYTHON && c == '/' && peek(1) == '*') {
                skipBlockComment();
            } else if (language == Language.PYTHON && stringPrefixAt(pos) >= 0) {
                pythonString(stringPrefixAt(pos));
            } else if (c == '"' || c == '\'') {
                quoted(c, pos + 1, false);
            } else if (c == '`' && language == Language.JAVASCRIPT) {
                template();
            } else if (language == Language.JAVASCRIPT && c == '/' && regexMayStart()) {
                regex();
            } else if (Character.isJavaIdentifierStart(c)) {
                int start = pos;
                while (pos < n && Character.isJavaIdentifierPart(text.charAt(pos))) {
                    pos++;
                }
                add(Kind.IDENT, text.substring(start, pos), line);
            } else if (Character.isDigit(c)) {
                int start = pos;
                while (pos < n && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                    pos++;
                }
                add(Kind.NUMBER, text.substring(start, pos), line);
            } else {
                punctuation();
            }
        }
        return true;
    }

    private char peek(int ahead) {
        int at = pos + ahead;
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private void add(Kind kind, String value, int at) {
        tokens.add(new Token(kind, value, at));
    }

    private void skipToEndOfLine() {
        while (pos < text.length() && text.charAt(pos) != '\n') {
            pos++;
        }
    }

    private void skipBlockComment() {
        pos += 2;
        while (pos < text.length() && !(text.charAt(pos) == '*' && peek(1) == '/')) {
            if (text.charAt(pos) == '\n') {
                line++;
            }
            pos++;
        }
        pos = Math.min(text.length(), pos + 2);
    }

    private void punctuation() {
        char first = text.charAt(pos);
        for (String op : OPERATORS) {
            if (op.charAt(0) == first && startsWithAt(text, pos, op)) {
                add(Kind.PUNCT, op, line);
                pos += op.length();
                return;
            }
        }
        add(Kind.PUNCT, String.valueOf(text.charAt(pos)), line);
        pos++;
    }

    /** Python: the length of a string prefix (r, b, u, f and their pairs) before a quote at {@code at}, or -1. */
    private int stringPrefixAt(int at) {
        int i = at;
        while (i < text.length() && i - at < 2 && "rRbBuUfF".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        if (i < text.length() && (text.charAt(i) == '"' || text.charAt(i) == '\'')) {
            // a prefix only when it starts a token: "bar'x'" is not b-prefixed
            if (i > at && at > 0 && Character.isJavaIdentifierPart(text.charAt(at - 1))) {
                return -1;
            }
            return i - at;
        }
        return -1;
    }

    private void pythonString(int prefixLength) {
        String prefix = text.substring(pos, pos + prefixLength).toLowerCase(java.util.Locale.ROOT);
        boolean formatted = prefix.contains("f");
        boolean raw = prefix.contains("r");
        pos += prefixLength;
        char quote = text.charAt(pos);
        if (text.startsWith(String.valueOf(quote).repeat(3), pos)) {
            int startLine = line;
            int start = pos + 3;
            String end = String.valueOf(quote).repeat(3);
            int close = text.indexOf(end, start);
            int stop = close < 0 ? text.length() : close;
            String body = text.substring(start, stop);
            line += (int) body.chars().filter(ch -> ch == '\n').count();
            pos = close < 0 ? text.length() : close + 3;
            add(formatted && body.contains("{") ? Kind.COMPUTED_STRING : Kind.STRING, body, startLine);
            return;
        }
        quoted(quote, pos + 1, raw, formatted);
    }

    private void quoted(char quote, int start, boolean raw) {
        quoted(quote, start, raw, false);
    }

    private void quoted(char quote, int start, boolean raw, boolean formatted) {
        StringBuilder value = new StringBuilder();
        int i = start;
        int startLine = line;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(i + 1);
                if (next == '\n') {
                    line++;
                }
                value.append(raw ? "\\" + next : String.valueOf(next));
                i += 2;
                continue;
            }
            if (c == quote) {
                i++;
                break;
            }
            if (c == '\n') {
                break; // unterminated: the string ends with its line
            }
            value.append(c);
            i++;
        }
        pos = i;
        String v = value.toString();
        add(formatted && v.contains("{") ? Kind.COMPUTED_STRING : Kind.STRING, v, startLine);
    }

    private void template() {
        int startLine = line;
        StringBuilder value = new StringBuilder();
        boolean computed = false;
        int i = pos + 1;
        int depth = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
            }
            if (depth == 0 && c == '\\' && i + 1 < text.length()) {
                value.append(text.charAt(i + 1));
                i += 2;
                continue;
            }
            if (depth == 0 && c == '`') {
                i++;
                break;
            }
            if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                computed = true;
                depth++;
                i += 2;
                continue;
            }
            if (depth > 0 && c == '}') {
                depth--;
            } else if (depth == 0) {
                value.append(c);
            }
            i++;
        }
        pos = i;
        add(computed ? Kind.COMPUTED_STRING : Kind.STRING, value.toString(), startLine);
    }

    /** JavaScript: a slash starts a regular expression where a value is expected, not after one. */
    private boolean regexMayStart() {
        if (peek(1) == '/' || peek(1) == '*') {
            return false;
        }
        if (tokens.isEmpty()) {
            return true;
        }
        Token last = tokens.get(tokens.size() - 1);
        if (last.kind() == Kind.IDENT) {
            return last.text().equals("return")
                    || last.text().equals("typeof")
                    || last.text().equals("case");
        }
        if (last.kind() != Kind.PUNCT) {
            return false;
        }
        return !(last.text().equals(")")
                || last.text().equals("]")
                || last.text().equals("}"));
    }

    private void regex() {
        int i = pos + 1;
        boolean inClass = false;
        while (i < text.length() && text.charAt(i) != '\n') {
            char c = text.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '[') {
                inClass = true;
            } else if (c == ']') {
                inClass = false;
            } else if (c == '/' && !inClass) {
                i++;
                break;
            }
            i++;
        }
        while (i < text.length() && Character.isLetter(text.charAt(i))) {
            i++;
        }
        pos = Math.min(i, text.length());
        add(Kind.COMPUTED_STRING, "", line);
    }
}
