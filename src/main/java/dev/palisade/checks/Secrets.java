package dev.palisade.checks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * Recognises secrets in names and values: cloud access keys, tokens, private keys, and names that say
 * they hold a password or key. Values are redacted before they are reported, and
 * {@link #redactText(String)} redacts the secrets inside any text before it is written out.
 */
public final class Secrets {
    private static final List<Pattern> VALUE_PATTERNS = List.of(
            Pattern.compile("\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b"), // AWS access key id
            Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{36,}\\b"), // GitHub tokens
            Pattern.compile("\\bglpat-[A-Za-z0-9_-]{20,}\\b"), // GitLab personal access token
            Pattern.compile("\\bxox[abprs]-[A-Za-z0-9-]{10,}\\b"), // Slack tokens
            Pattern.compile("-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----"),
            Pattern.compile("\"type\"\\s*:\\s*\"service_account\""), // GCP service account JSON
            Pattern.compile("AccountKey=[A-Za-z0-9+/=]{40,}"), // Azure storage connection string
            Pattern.compile("[a-z][a-z0-9+.-]{0,20}://[^/\\s:@]+:[^/\\s@]+@")); // password in a URL
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential).*");

    private Secrets() {}

    /** True when a value looks like a credential whatever its name. */
    public static boolean looksLikeSecretValue(String value) {
        return holdsAValuePatternsLiteral(value) && matchesAValuePattern(value);
    }

    static boolean matchesAValuePattern(String value) {
        return VALUE_PATTERNS.stream().anyMatch(p -> p.matcher(value).find());
    }

    /**
     * Whether the value holds the literal part one of {@link #VALUE_PATTERNS} needs ({@code AKIA}, {@code ASIA},
     * {@code gh}, {@code glpat-}, {@code xox}, {@code -----BEGIN }, {@code service_account}, {@code AccountKey=},
     * {@code ://}): one pass over the characters, where the eight expressions cost eight searches of every word a
     * finding quotes.
     */
    static boolean holdsAValuePatternsLiteral(String value) {
        for (int i = 0; i < value.length(); i++) {
            boolean found =
                    switch (value.charAt(i)) {
                        case 'A' -> at(value, i, "AKIA") || at(value, i, "ASIA") || at(value, i, "AccountKey=");
                        case 'g' -> at(value, i, "gh") || at(value, i, "glpat-");
                        case 'x' -> at(value, i, "xox");
                        case '-' -> at(value, i, "-----BEGIN ");
                        case 's' -> at(value, i, "service_account");
                        case ':' -> at(value, i, "://");
                        default -> false;
                    };
            if (found) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code literal} starts at {@code index} of {@code text}, compared char by char. */
    private static boolean at(String text, int index, String literal) {
        if (index + literal.length() > text.length()) {
            return false;
        }
        for (int k = 0; k < literal.length(); k++) {
            if (text.charAt(index + k) != literal.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** True when a NAME=value pair holds a secret: a secret-looking value, or a secret name with a real value. */
    public static boolean isSecret(String name, String value) {
        if (looksLikeSecretValue(value)) {
            return true;
        }
        String v = value.trim();
        boolean placeholder = v.isEmpty()
                || v.startsWith("$")
                || v.equalsIgnoreCase("changeme")
                || v.length() < 4
                || v.toLowerCase(Locale.ROOT).contains("/run/secrets")
                || v.toLowerCase(Locale.ROOT).endsWith("_file");
        String upper = name.toUpperCase(Locale.ROOT);
        // names that point at a secret rather than hold it: a file, an ARN, a path, a parameter name
        boolean reference = upper.endsWith("_FILE")
                || upper.endsWith("_ARN")
                || upper.endsWith("_PATH")
                || upper.endsWith("_NAME")
                || upper.endsWith("_PARAM")
                || upper.endsWith("_PARAMETER");
        return !placeholder && !reference && nameSaysSecret(name);
    }

    /** {@link #SECRET_NAME}, tried only on names holding one of its words' common parts. */
    private static boolean nameSaysSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        boolean candidate = lower.contains("pass")
                || lower.contains("pwd")
                || lower.contains("secret")
                || lower.contains("token")
                || lower.contains("key")
                || lower.contains("credential");
        return candidate && SECRET_NAME.matcher(name).matches();
    }

    /**
     * The value's first two characters then {@code ****}, or only {@code ****} when it is shorter than eight: a
     * fixed short prefix (which tells an {@code AK} key from a {@code gh} token) and nothing of the rest, not even
     * its length.
     */
    public static String redact(String value) {
        String v = value.trim();
        return isRedacted(v) ? v : mask(v);
    }

    /** Whether a value is already in the form {@link #redact(String)} gives it (so redacting it again changes nothing). */
    public static boolean isRedacted(String value) {
        if (value.equals(REDACTED)) {
            return true;
        }
        int at = value.length() - REDACTED.length();
        return at > 0 && value.endsWith(REDACTED) && value.codePointCount(0, at) == 2;
    }

    /** Where a secret value sits in a text, end exclusive; a whole one is redacted without a prefix. */
    private record Span(int start, int end, boolean whole) {}

    /**
     * One way secrets show in free text: the pattern, the group that holds the value (-1: the one of the
     * {@link #VALUE} groups that matched), the words (lower case) of which every match holds one, and a
     * last look at the match in its text for what the pattern cannot say.
     */
    private record TextRule(Pattern pattern, int group, List<String> keywords, BiPredicate<Commands, Matcher> applies) {
        TextRule(String pattern, int group, List<String> keywords) {
            this(Pattern.compile(pattern), group, keywords, (commands, m) -> true);
        }
    }

    /** Where a text's curl commands start and where its commands end, found once, on first use. */
    private static final class Commands {
        private final String text;
        private int @Nullable [] curls;
        private int @Nullable [] separators;

        Commands(String text) {
            this.text = text;
        }

        /** True when the last command to start before {@code offset} is curl. */
        boolean inCurl(int offset) {
            if (curls == null || separators == null) {
                curls = CURL.matcher(text).results().mapToInt(MatchResult::end).toArray();
                separators = IntStream.range(0, text.length())
                        .filter(i -> "\n;&|".indexOf(text.charAt(i)) >= 0)
                        .toArray();
            }
            int curl = lastBefore(curls, offset);
            return curl >= 0 && curl > lastBefore(separators, offset);
        }

        private static int lastBefore(int[] sorted, int offset) {
            int i = Arrays.binarySearch(sorted, offset);
            int before = (i >= 0 ? i : -i - 1) - 1;
            return before >= 0 ? sorted[before] : -1;
        }
    }

    // A name that says it holds a secret: the secret word ends it, or is followed by KEY, BASE or VALUE
    // (SECRET_KEY_BASE), so that TOKENIZERS_PARALLELISM, SECRET_NAME and PASSWORD_FILE are not taken.
    // Read from the start of a name, whatever its length: a bound would let a redaction that splits a
    // long name find a new name in the text it gives, and redacting twice would not give the same text.
    private static final String SECRET_NAME_IN_TEXT = "([A-Za-z0-9_.-]*?"
            + "(?:password|passwd|passphrase|pwd|secret|token|api[_.-]?key|access[_.-]?key|private[_.-]?key|credentials?)"
            + "(?:[_.-]?(?:key|base|value)){0,2})(?![A-Za-z0-9_.-])";
    private static final List<String> SECRET_NAME_WORDS =
            List.of("pass", "pwd", "secret", "token", "key", "credential");
    // a value: quoted (the group is inside the quotes) or bare (up to a space, a quote or punctuation)
    private static final String VALUE = "(?:\"([^\"\\n]+)\"|'([^'\\n]+)'|([^\\s\"',;&|<>(){}\\[\\]]+))";
    private static final int VALUE_GROUPS = 3;
    private static final Set<String> NOT_SECRETS =
            Set.of("true", "false", "null", "none", "nil", "yes", "no", "bearer", "basic", "token", "digest");
    // names with a secret word that hold none: the working directory, and sudoers' NOPASSWD tag
    private static final Set<String> WORKING_DIRECTORY = Set.of("pwd", "oldpwd", "nopasswd");
    private static final Pattern OPTION_LIST = Pattern.compile("[a-z]{1,16}=.*"); // --secret id=npmrc,src=...
    private static final Pattern CURL = Pattern.compile("\\bcurl\\b");

    private static final List<TextRule> TEXT_RULES = List.of(
            new TextRule(
                    "\\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA)[A-Z0-9]{16}\\b",
                    0,
                    List.of("akia", "asia", "agpa", "aida", "aroa", "anpa", "anva")),
            new TextRule("\\bgh[pousr]_[A-Za-z0-9]{36,255}\\b", 0, List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
            new TextRule("\\bgithub_pat_[A-Za-z0-9_]{22,255}\\b", 0, List.of("github_pat_")),
            new TextRule("\\bglpat-[A-Za-z0-9_-]{20,255}\\b", 0, List.of("glpat-")),
            new TextRule(
                    "\\bxox[abprs]-[A-Za-z0-9-]{10,255}\\b", 0, List.of("xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-")),
            new TextRule("AccountKey=([A-Za-z0-9+/]{86}==)", 1, List.of("accountkey=")),
            new TextRule("\\b[A-Za-z][A-Za-z0-9+.-]{0,20}://[^/\\s:@\"'<>]*:([^/\\s@\"'<>]+)@", 1, List.of("://")),
            new TextRule(
                    Pattern.compile("(?i)(?<![A-Za-z0-9_.-])" + SECRET_NAME_IN_TEXT
                            + "\\\\?[\"']?[ \\t]{0,16}+[=:][ \\t]{0,16}+" + VALUE),
                    -1,
                    SECRET_NAME_WORDS,
                    Secrets::notAWorkingDirectory),
            new TextRule(
                    Pattern.compile("\\bENV[ \\t]{1,16}+(?i:" + SECRET_NAME_IN_TEXT + ")[ \\t]{1,16}+" + VALUE),
                    -1,
                    SECRET_NAME_WORDS,
                    Secrets::notAWorkingDirectory),
            new TextRule(
                    Pattern.compile(
                            "(?i)(?<!\\S)--(?:[a-z0-9]{1,32}-){0,4}(?:password|passwd|passphrase|secret|token|api-?key|access-?key)"
                                    + "[ \\t]{1,16}+(?![-$])" + VALUE),
                    -1,
                    List.of("--"),
                    Secrets::notAnOptionList),
            new TextRule(
                    Pattern.compile(
                            "(?<!\\S)(?:-u|--user)(?:[ \\t]{1,16}+|=)['\"]?[^\\s:'\"@]{1,64}:([^\\s'\"]{1,128})"),
                    1,
                    List.of("-u", "--user"),
                    Secrets::inACurlCommand),
            new TextRule(
                    "(?i)authorization\\\\?[\"']?[ \\t]{0,16}+[:=][ \\t]{0,16}+[\"']?(?:(?:bearer|basic|token|digest)[ \\t]{1,16}+)?"
                            + "([^\\s\"',;]+)",
                    1,
                    List.of("authorization")));
    private static final Pattern KEY_BEGIN = Pattern.compile("-----BEGIN [A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----");
    private static final Pattern KEY_END = Pattern.compile("-----END [A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----");
    private static final String REDACTED = "****";
    private static final int MAX_PASSES = 8;

    /**
     * The text with every secret value in it redacted: values of 8 characters or more keep their first
     * 2 characters and end in {@code ****} ({@code ghp_0123...} becomes {@code gh****}), shorter ones
     * become {@code ****}, and the body of a private key block becomes {@code ****} between its BEGIN and
     * END lines (or to the end of the text when the END line is missing). Names, user names, hosts and
     * the rest of the text are kept. A text redacted again does not change, and values already redacted
     * by {@link #redact(String)} are kept as they are.
     *
     * <p>Recognised: cloud keys and tokens by their shape (AWS, GitHub, GitLab, Slack, Azure storage),
     * passwords in URLs ({@code https://user:pass@host/}), {@code NAME=value} and {@code name: value}
     * where the name says it holds a secret ({@code DB_PASSWORD}, {@code api_key}, {@code "token"}, in
     * env, YAML, JSON and query strings), {@code ENV NAME value}, long command-line options such as
     * {@code --password value}, {@code curl -u user:password}, {@code Authorization:} headers and
     * private key blocks. Not recognised: short options such as {@code -p value}, and a secret that has
     * neither a known shape nor a telling name. Values that are references ({@code $VAR}, {@code {{ x }}})
     * or booleans are kept. The time taken grows linearly with the text.
     */
    public static String redactText(String text) {
        // A redaction can join what a secret had kept apart (a value that stopped at a brace now runs on
        // into the next), so the text is redacted again until nothing changes: that is what makes a
        // second call give the same text. Text without secrets is read once.
        String redacted = text;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            String again = redactOnce(redacted);
            if (again == redacted) {
                return redacted;
            }
            redacted = again;
        }
        return redacted;
    }

    /** The text with the secrets found in it redacted, or the same instance when there are none. */
    private static String redactOnce(String text) {
        String lowerCase = text.toLowerCase(Locale.ROOT);
        List<Span> keyBlocks = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        if (lowerCase.contains("private key")) {
            privateKeys(text, keyBlocks, spans);
        }
        Commands commands = new Commands(text);
        for (TextRule rule : TEXT_RULES) {
            if (rule.keywords().stream().noneMatch(lowerCase::contains)) {
                continue;
            }
            Matcher m = rule.pattern().matcher(text);
            while (m.find()) {
                int group = rule.group() >= 0 ? rule.group() : valueGroup(m);
                if (!rule.applies().test(commands, m) || overlaps(keyBlocks, m.start(group), m.end(group))) {
                    continue;
                }
                String value = m.group(group);
                if (!isRedacted(value)
                        && !value.startsWith("$")
                        && !value.startsWith("{{")
                        && !NOT_SECRETS.contains(value.toLowerCase(Locale.ROOT))) {
                    spans.add(new Span(m.start(group), m.end(group), false));
                }
            }
        }
        if (spans.isEmpty()) {
            return text;
        }
        spans.sort(Comparator.comparingInt(Span::start));
        StringBuilder redacted = new StringBuilder(text.length());
        int done = 0;
        for (int i = 0; i < spans.size(); ) {
            Span merged = spans.get(i++);
            while (i < spans.size() && spans.get(i).start() < merged.end()) {
                Span next = spans.get(i++);
                merged = new Span(merged.start(), Math.max(merged.end(), next.end()), merged.whole() || next.whole());
            }
            redacted.append(text, done, merged.start());
            redacted.append(merged.whole() ? REDACTED : mask(text.substring(merged.start(), merged.end())));
            done = merged.end();
        }
        return redacted.append(text, done, text.length()).toString();
    }

    /**
     * The private key blocks, markers included, each up to its END line or, without one, to the end of
     * the text; and their bodies, unless already redacted. Other matches inside a block are left to it,
     * so that its markers stay whole and a second redaction finds the same block.
     */
    private static void privateKeys(String text, List<Span> blocks, List<Span> bodies) {
        Matcher begin = KEY_BEGIN.matcher(text);
        Matcher end = KEY_END.matcher(text);
        int from = 0;
        while (from < text.length() && begin.find(from)) {
            boolean ended = end.find(begin.end());
            int bodyEnd = ended ? end.start() : text.length();
            boolean redacted = bodyEnd - begin.end() == REDACTED.length() && text.startsWith(REDACTED, begin.end());
            if (bodyEnd > begin.end() && !redacted) {
                bodies.add(new Span(begin.end(), bodyEnd, true));
            }
            from = ended ? end.end() : text.length();
            blocks.add(new Span(begin.start(), from, true));
        }
    }

    /** Whether [start, end) overlaps one of the spans, which are in order and apart. */
    private static boolean overlaps(List<Span> spans, int start, int end) {
        int low = 0;
        int high = spans.size() - 1;
        while (low <= high) { // the last span that starts before end
            int middle = (low + high) >>> 1;
            if (spans.get(middle).start() < end) {
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return high >= 0 && spans.get(high).end() > start;
    }

    private static int valueGroup(Matcher m) {
        for (int group = m.groupCount() - VALUE_GROUPS + 1; group < m.groupCount(); group++) {
            if (m.group(group) != null) {
                return group;
            }
        }
        return m.groupCount();
    }

    private static String mask(String value) {
        return value.codePointCount(0, value.length()) >= 8
                ? value.substring(0, value.offsetByCodePoints(0, 2)) + REDACTED
                : REDACTED;
    }

    private static boolean notAWorkingDirectory(Commands commands, Matcher m) {
        return !WORKING_DIRECTORY.contains(m.group(1).toLowerCase(Locale.ROOT));
    }

    private static boolean notAnOptionList(Commands commands, Matcher m) {
        return !OPTION_LIST.matcher(m.group(valueGroup(m))).matches();
    }

    /** {@code -u user:password} is curl's; in most other commands it is a user and group ({@code -u 1000:1000}). */
    private static boolean inACurlCommand(Commands commands, Matcher m) {
        return commands.inCurl(m.start());
    }
}
