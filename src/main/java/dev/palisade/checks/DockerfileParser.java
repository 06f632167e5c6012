package dev.palisade.checks;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Dockerfile into instructions the way BuildKit's Dockerfile frontend does
 * (moby/buildkit {@code frontend/dockerfile/parser/parser.go}): parser directives only at the top,
 * the {@code escape} directive's token for line continuations, comment and empty lines skipped inside
 * a continuation, and heredocs ({@code RUN <<EOT}) whose bodies belong to their instruction.
 * Where BuildKit would refuse the file, the parse goes on and notes a problem instead. One pass, linear in the input.
 */
public final class DockerfileParser {
    private static final Set<String> DIRECTIVES = Set.of("syntax", "escape", "check");
    private static final Set<String> HEREDOC_KEYWORDS = Set.of("RUN", "COPY", "ADD");
    // trailing white space is cut before matching, so no lazy group has to find where the value ends
    private static final Pattern DIRECTIVE = Pattern.compile("(?s)#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+)");
    private static final Pattern HEREDOC_WORD = Pattern.compile("(?s)(\\d*)<<(-?)\\s*([^<]*)");

    private DockerfileParser() {}

    /**
     * A heredoc attached to an instruction.
     *
     * @param chomp {@code <<-}: leading tabs are cut from the body and from the terminator
     * @param expand false when the delimiter was quoted ({@code <<'EOT'}), so the body is taken literally
     * @param content the body as written, one {@code \n} after each line
     * @param terminated false when the file ended before the delimiter line
     */
    public record Heredoc(String name, boolean chomp, boolean expand, String content, boolean terminated) {
        /** The body as the build sees it: without leading tabs for {@code <<-}. */
        public String body() {
            return chomp ? content.replaceAll("(?m)^\\t+", "") : content;
        }
    }

    /**
     * One instruction.
     *
     * @param keyword upper case ({@code RUN})
     * @param arguments everything after the keyword, flags included, continuation lines joined as BuildKit joins them
     * @param line the 1-based line the instruction starts on
     * @param endLine the last line it takes, heredoc bodies included
     */
    public record Instruction(String keyword, String arguments, int line, int endLine, List<Heredoc> heredocs) {
        public Instruction {
            heredocs = List.copyOf(heredocs);
        }
    }

    /** Something BuildKit would reject, with the line it starts on. */
    public record ParseProblem(int line, String message) {}

    /** The instructions, the escape token in force and what BuildKit would have refused. */
    public record Parsed(List<Instruction> instructions, char escape, List<ParseProblem> problems) {
        public Parsed {
            instructions = List.copyOf(instructions);
            problems = List.copyOf(problems);
        }
    }

    public static Parsed parse(String text) {
        return new Run(text).parse();
    }

    /** The state of one parse: where it is in the text and the directives seen so far. */
    private static final class Run {
        private final String text;
        private int position;
        private int lineNumber;
        private char escape = '\\';
        private boolean directivesDone;
        private final Set<String> directivesSeen = new HashSet<>();
        private final List<Instruction> instructions = new ArrayList<>();
        private final List<ParseProblem> problems = new ArrayList<>();

        Run(String text) {
            this.text = text;
        }

        /** The next line without its {@code \n}; the text after a final {@code \n} is no line. */
        private boolean hasLine() {
            return position < text.length();
        }

        private String nextLine() {
            int end = text.indexOf('\n', position);
            String line = end < 0 ? text.substring(position) : text.substring(position, end);
            position = end < 0 ? text.length() : end + 1;
            lineNumber++;
            return line;
        }

        Parsed parse() {
            while (hasLine()) {
                String raw = nextLine();
                if (lineNumber == 1 && raw.startsWith("\uFEFF")) {
                    raw = raw.substring(1);
                }
                String first = trimNewline(raw).stripLeading();
                directive(first);
                int start = lineNumber;
                Continued part = continued(isComment(first) ? "" : first);
                if (!part.continues() && part.content().isEmpty()) {
                    continue;
                }
                StringBuilder line = new StringBuilder(part.content());
                boolean continues = part.continues();
                while (continues && hasLine()) {
                    String next = trimNewline(nextLine());
                    directive(next);
                    if (isComment(next.stripLeading()) || next.isBlank()) {
                        continue; // BuildKit drops these; an empty one only draws a warning
                    }
                    part = continued(next);
                    line.append(part.content());
                    continues = part.continues();
                }
                instruction(line.toString(), start);
            }
            return new Parsed(instructions, escape, problems);
        }

        private void instruction(String line, int start) {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                return; // only continuation tokens, comments and empty lines
            }
            int cut = 0;
            while (cut < trimmed.length() && !isBlank(trimmed.charAt(cut))) {
                cut++;
            }
            String keyword = trimmed.substring(0, cut).toUpperCase(Locale.ROOT);
            String arguments = trimmed.substring(cut).strip();
            List<Heredoc> heredocs = new ArrayList<>();
            if (canContainHeredoc(keyword, arguments) && line.contains("<<")) {
                for (DelimiterWord word : delimiters(line, start)) {
                    heredocs.add(readHeredoc(word, start));
                }
            }
            instructions.add(new Instruction(keyword, arguments, start, lineNumber, heredocs));
        }

        private Heredoc readHeredoc(DelimiterWord word, int start) {
            StringBuilder content = new StringBuilder();
            while (hasLine()) {
                String raw = nextLine();
                String candidate = trimNewline(raw);
                if (word.chomp()) {
                    int tabs = 0;
                    while (tabs < candidate.length() && candidate.charAt(tabs) == '\t') {
                        tabs++;
                    }
                    candidate = candidate.substring(tabs);
                }
                if (candidate.equals(word.name())) {
                    return new Heredoc(word.name(), word.chomp(), word.expand(), content.toString(), true);
                }
                content.append(raw).append('\n');
            }
            problems.add(new ParseProblem(
                    start,
                    "heredoc " + word.name() + " is not terminated: the file ends before a line " + word.name()
                            + " (BuildKit refuses to build it)"));
            return new Heredoc(word.name(), word.chomp(), word.expand(), content.toString(), false);
        }

        private void directive(String line) {
            if (directivesDone) {
                return;
            }
            Matcher m = DIRECTIVE.matcher(line.strip());
            if (!line.stripLeading().startsWith("#") || !m.matches()) {
                directivesDone = true;
                return;
            }
            String name = m.group(1).toLowerCase(Locale.ROOT);
            if (!DIRECTIVES.contains(name)) {
                directivesDone = true;
                return;
            }
            if (!directivesSeen.add(name)) {
                problems.add(new ParseProblem(
                        lineNumber, "only one " + name + " parser directive can be used; this one is ignored"));
                return;
            }
            if (name.equals("escape")) {
                String value = m.group(2);
                if (value.equals("`") || value.equals("\\")) {
                    escape = value.charAt(0);
                } else {
                    problems.add(new ParseProblem(
                            lineNumber, "escape directive '" + value + "' is neither ` nor \\; \\ is used"));
                }
            }
        }

        /**
         * The line without its continuation token: the escape token last but for spaces and tabs,
         * and not itself escaped (BuildKit's {@code ([^\\])\\[ \t]*$|^\\[ \t]*$}).
         */
        private Continued continued(String line) {
            int end = line.length();
            while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
                end--;
            }
            if (end > 0 && line.charAt(end - 1) == escape && (end == 1 || line.charAt(end - 2) != escape)) {
                return new Continued(line.substring(0, end - 1), true);
            }
            return new Continued(line, false);
        }

        /** The heredoc delimiters of a line, in order; a malformed one is noted and left out. */
        private List<DelimiterWord> delimiters(String line, int start) {
            List<DelimiterWord> found = new ArrayList<>();
            for (String word : DockerfileWords.heredocCandidates(line)) {
                Matcher m = HEREDOC_WORD.matcher(word);
                if (!m.matches() || m.group(3).isEmpty()) {
                    continue;
                }
                DockerfileWords.Unquoted name = DockerfileWords.unquote(m.group(3));
                if (name == null) {
                    problems.add(new ParseProblem(start, "heredoc delimiter " + m.group(3) + " has unmatched quotes"));
                    continue;
                }
                found.add(new DelimiterWord(name.text(), m.group(2).equals("-"), !name.quoted()));
            }
            return found;
        }
    }

    private record Continued(String content, boolean continues) {}

    private record DelimiterWord(String name, boolean chomp, boolean expand) {}

    /** RUN, COPY and ADD in shell form (also behind ONBUILD) take heredocs; the JSON form does not. */
    static boolean canContainHeredoc(String keyword, String arguments) {
        String args = arguments;
        String key = keyword;
        if (key.equals("ONBUILD")) {
            String inner = args.strip();
            int cut = 0;
            while (cut < inner.length() && !isBlank(inner.charAt(cut))) {
                cut++;
            }
            key = inner.substring(0, cut).toUpperCase(Locale.ROOT);
            args = inner.substring(cut);
        }
        return HEREDOC_KEYWORDS.contains(key) && !isJsonStringArray(withoutFlags(args));
    }

    /** The arguments after the leading {@code --name[=value]} flags. */
    static String withoutFlags(String arguments) {
        int i = 0;
        int n = arguments.length();
        while (true) {
            while (i < n && isBlank(arguments.charAt(i))) {
                i++;
            }
            if (!arguments.startsWith("--", i)) {
                return arguments.substring(i);
            }
            while (i < n && !isBlank(arguments.charAt(i))) {
                i++;
            }
        }
    }

    /** A JSON array of strings ({@code ["sh", "-c", "..."]}), the exec form BuildKit reads without a shell. */
    static boolean isJsonStringArray(String arguments) {
        String s = arguments.strip();
        if (!s.startsWith("[") || !s.endsWith("]")) {
            return false;
        }
        int i = skipSpace(s, 1);
        if (s.charAt(i) == ']') {
            return i == s.length() - 1;
        }
        while (true) {
            if (i >= s.length() || s.charAt(i) != '"') {
                return false;
            }
            i++;
            while (i < s.length() && s.charAt(i) != '"') {
                i += s.charAt(i) == '\\' ? 2 : 1;
            }
            if (i >= s.length()) {
                return false;
            }
            i = skipSpace(s, i + 1);
            if (i >= s.length()) {
                return false;
            }
            if (s.charAt(i) == ']') {
                return i == s.length() - 1;
            }
            if (s.charAt(i) != ',') {
                return false;
            }
            i = skipSpace(s, i + 1);
        }
    }

    private static int skipSpace(String s, int from) {
        int i = from;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isComment(String leftTrimmed) {
        return leftTrimmed.startsWith("#");
    }

    /** BuildKit's {@code [\t\v\f\r ]}, the white space between a keyword and its arguments. */
    static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private static String trimNewline(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\r' || line.charAt(end - 1) == '\n')) {
            end--;
        }
        return line.substring(0, end);
    }
}
