package dev.palisade.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.source.StructuredText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Finds secrets in text files: private keys, cloud keys, access tokens, passwords in URLs and in
 * configuration files. Rules are data ({@code secret-rules.yaml}, extended by the user's own). Binary
 * files, large files and system directories are left out; values are reported redacted, with their line.
 *
 * <p>File content is untrusted and so are user rules. The built-in patterns are written to run in linear
 * time (bounded repetition, no nested ambiguity) and a rule runs on a file only when one of its keywords
 * is in it. Every rule, built-in or not, also has a time budget per file (CPU time): a rule that runs out
 * of it is stopped there and reported as a problem, and the other rules go on.
 */
public final class SecretScanner {
    public static final long DEFAULT_MAX_BYTES = 1024 * 1024;
    /** Time one rule may take on one file; the built-in rules need a small fraction of it on 1 MiB. */
    public static final Duration DEFAULT_RULE_BUDGET = Duration.ofSeconds(1);

    private static final List<String> SYSTEM_DIRECTORIES = List.of(
            "usr/share/",
            "usr/lib/",
            "usr/include/",
            "usr/libexec/",
            "lib/",
            "lib64/",
            "bin/",
            "sbin/",
            "usr/bin/",
            "usr/sbin/",
            "var/lib/dpkg/",
            "var/lib/apt/",
            "var/cache/",
            "etc/ssl/",
            "usr/local/lib/python",
            "proc/",
            "sys/");
    private static final Set<String> BINARY_EXTENSIONS = Set.of(
            "jar", "war", "ear", "zip", "gz", "tgz", "xz", "bz2", "zst", "png", "jpg", "jpeg", "gif", "ico", "pdf",
            "so", "class", "pyc", "woff", "woff2", "ttf", "otf", "mo", "db", "sqlite", "exe", "dll");
    private static final Set<String> PLACEHOLDERS =
            Set.of("changeme", "password", "example", "xxxxxx", "secret", "redacted");

    private final CheckCatalog catalog;
    private final List<Rule> rules;
    private final long maxBytes;
    private final Duration ruleBudget;
    /** Every rule's keywords, looked for in one pass over a file; null when there are too many for one pass. */
    private final KeywordSearch.@Nullable Set keywords;
    /** For each rule, the bits of its keywords in {@link #keywords}. */
    private final long[] keywordBits;
    /** Whether no rule runs on every file: a file without any keyword is then not searched further. */
    private final boolean everyRuleHasKeywords;

    /**
     * One rule: the check it reports under, what it matches, which files it applies to, the words (lower case) of
     * which every match holds at least one (a rule without keywords runs on every file), and whether every match
     * lies within one line: such a rule with keywords runs only on the lines that hold one of them; and whether every
     * match begins with a keyword: such a rule is tried only where a keyword begins.
     */
    record Rule(
            String id,
            CheckMetadata check,
            Pattern pattern,
            int group,
            @Nullable Pattern files,
            List<String> keywords,
            boolean singleLine,
            int keywordWithin) {
        /** The most a rule may say a keyword begins after the start of its matches. */
        static final int MAX_KEYWORD_WITHIN = 256;

        Rule {
            keywords = List.copyOf(keywords);
        }

        /** Whether every match begins with one of the keywords. */
        boolean startsWithKeyword() {
            return keywordWithin == 0;
        }

        boolean mayMatch(KeywordSearch text) {
            if (keywords.isEmpty()) {
                return true;
            }
            for (String keyword : keywords) {
                if (text.contains(keyword)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** What one file holds: the secrets found, and why some rules could not finish on it. */
    public record FileScan(List<Misconfiguration> secrets, List<String> problems) {
        public FileScan {
            secrets = List.copyOf(secrets);
            problems = List.copyOf(problems);
        }
    }

    private SecretScanner(CheckCatalog catalog, List<Rule> rules, long maxBytes, Duration ruleBudget) {
        this.catalog = catalog;
        this.rules = List.copyOf(rules);
        this.maxBytes = maxBytes;
        this.ruleBudget = ruleBudget;
        List<String> all = KeywordSearch.Set.distinct(
                this.rules.stream().map(Rule::keywords).toList());
        this.keywords = all.size() <= KeywordSearch.Set.MAX ? new KeywordSearch.Set(all) : null;
        this.everyRuleHasKeywords =
                this.rules.stream().noneMatch(rule -> rule.keywords().isEmpty());
        this.keywordBits = new long[this.rules.size()];
        for (int r = 0; r < this.rules.size(); r++) {
            keywordBits[r] =
                    keywords == null ? 0 : keywords.bits(this.rules.get(r).keywords());
        }
    }

    /** The built-in rules, plus the user's own (same YAML format) when given. */
    public static SecretScanner load(CheckCatalog catalog, byte @Nullable [] extraRules, long maxBytes)
            throws IOException {
        return load(catalog, extraRules, maxBytes, DEFAULT_RULE_BUDGET);
    }

    /** As {@link #load(CheckCatalog, byte[], long)}, with the time one rule may take on one file. */
    public static SecretScanner load(
            CheckCatalog catalog, byte @Nullable [] extraRules, long maxBytes, Duration ruleBudget) throws IOException {
        List<Rule> rules = new ArrayList<>();
        try (InputStream in = SecretScanner.class.getResourceAsStream("secret-rules.yaml")) {
            if (in == null) {
                throw new IllegalStateException("secret-rules.yaml is missing from the class path");
            }
            rules.addAll(parse(catalog, in.readAllBytes(), "secret-rules.yaml"));
        }
        if (extraRules != null) {
            rules.addAll(parse(catalog, extraRules, "--secret-rules"));
        }
        return new SecretScanner(catalog, rules, maxBytes, ruleBudget);
    }

    /** A scanner of only the rules in {@code yaml}, without the built-in ones. */
    static SecretScanner ofRules(CheckCatalog catalog, byte[] yaml, long maxBytes) throws IOException {
        return new SecretScanner(catalog, parse(catalog, yaml, "rules"), maxBytes, DEFAULT_RULE_BUDGET);
    }

    List<Rule> rules() {
        return rules;
    }

    private static List<Rule> parse(CheckCatalog catalog, byte[] yaml, String where) throws IOException {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode r : StructuredText.yaml(yaml).path("rules")) {
            String id = StructuredText.text(r, "id");
            String check = StructuredText.text(r, "check").isEmpty() ? "PAL-4003" : StructuredText.text(r, "check");
            try {
                String files = StructuredText.text(r, "files");
                List<String> keywords = new ArrayList<>();
                for (JsonNode keyword : r.path("keywords")) {
                    if (keyword.asText().isEmpty()) {
                        throw new IllegalArgumentException("a keyword is empty (it would be found in every file)");
                    }
                    keywords.add(keyword.asText().toLowerCase(Locale.ROOT));
                }
                rules.add(new Rule(
                        id,
                        catalog.get(check),
                        Pattern.compile(StructuredText.text(r, "pattern")),
                        r.path("group").asInt(0),
                        files.isEmpty() ? null : Pattern.compile(files),
                        keywords,
                        r.path("single-line").asBoolean(false),
                        keywordWithin(r)));
            } catch (RuntimeException e) {
                throw new IOException(where + ": rule '" + id + "' is not valid: " + e.getMessage(), e);
            }
        }
        return rules;
    }

    /** A cheap test on the path and size: text-like files outside system directories, within the size limit. */
    public boolean wants(String path, long size) {
        if (size == 0 || size > maxBytes) {
            return false;
        }
        for (String system : SYSTEM_DIRECTORIES) {
            if (path.startsWith(system)) {
                return false;
            }
        }
        int dot = path.lastIndexOf('.');
        return dot < 0 || !BINARY_EXTENSIONS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * A sha256 over every rule in force and the size bound: what a cached secret result was found with.
     * Two scanners with the same fingerprint find the same secrets in the same file.
     */
    public String fingerprint() {
        StringBuilder text = new StringBuilder("maxBytes=")
                .append(maxBytes)
                .append(";ruleBudget=")
                .append(ruleBudget);
        for (Rule rule : rules) {
            text.append('\n')
                    .append(rule.id())
                    .append('\0')
                    .append(rule.check().id())
                    .append('\0')
                    .append(rule.pattern().pattern())
                    .append('\0')
                    .append(rule.group())
                    .append('\0')
                    .append(rule.files() == null ? "" : rule.files().pattern())
                    .append('\0')
                    .append(String.join(",", rule.keywords()))
                    .append(rule.singleLine() ? "\0single-line" : "")
                    .append(rule.startsWithKeyword() ? "\0starts-with-keyword" : "")
                    .append(rule.keywordWithin() > 0 ? "\0keyword-within=" + rule.keywordWithin() : "");
        }
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256")
                                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The secrets in one file's content; a file with NUL bytes is binary and left out. */
    public FileScan scan(String path, byte[] content, @Nullable String layer) {
        int probe = Math.min(content.length, 8192);
        for (int i = 0; i < probe; i++) {
            if (content[i] == 0) {
                return new FileScan(List.of(), List.of());
            }
        }
        long inBytes = 0;
        KeywordSearch.Set all = keywords;
        boolean searchedBytes = all != null && all.searchesBytes();
        if (all != null && searchedBytes) {
            inBytes = KeywordSearch.presentInBytes(all, content);
            if (inBytes == 0 && everyRuleHasKeywords && !KeywordSearch.mayLowerCaseToAscii(content)) {
                return new FileScan(List.of(), List.of()); // no rule can match: the text is not even decoded
            }
        }
        String text = new String(content, StandardCharsets.UTF_8);
        KeywordSearch search = KeywordSearch.of(text);
        long present;
        if (keywords == null) {
            present = 0;
        } else if (searchedBytes && search.inPlace()) {
            present = inBytes; // what search.present(keywords, content) would find again
        } else {
            present = search.present(keywords, content);
        }
        @Nullable LineIndex lines = null;
        List<Misconfiguration> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> reported = new HashSet<>(); // one finding per secret and line, from the first (most specific) rule
        for (int r = 0; r < rules.size(); r++) {
            Rule rule = rules.get(r);
            boolean mayMatch = keywords == null
                    ? rule.mayMatch(search)
                    : rule.keywords().isEmpty() || (present & keywordBits[r]) != 0;
            if (!mayMatch) {
                continue;
            }
            if (lines == null) {
                lines = new LineIndex(text);
            }
            try {
                scan(rule, path, text, search, lines, layer, reported, found);
            } catch (BudgetedText.OutOfTime e) {
                problems.add(
                        "secret rule '" + rule.id() + "' was stopped after " + ruleBudget.toMillis()
                                + " ms of CPU on this file, which it did not fully check; bound the repetitions in its pattern ({0,64}, not *)");
            }
        }
        return new FileScan(found, problems);
    }

    /** Adds what one rule finds in a file to {@code found}, within the rule's time budget. */
    private void scan(
            Rule rule,
            String path,
            String text,
            KeywordSearch keywords,
            LineIndex lines,
            @Nullable String layer,
            Set<String> reported,
            List<Misconfiguration> found) {
        long deadline = BudgetedText.now() + ruleBudget.toNanos();
        if (rule.files() != null
                && !rule.files().matcher(new BudgetedText(path, deadline)).matches()) {
            return;
        }
        Matcher m = rule.pattern().matcher(new BudgetedText(text, deadline));
        // lookarounds, \b and ^/$ see the text beyond a line's region as they would in the whole text
        m.useTransparentBounds(true).useAnchoringBounds(false);
        int[] starts = starts(rule, keywords);
        int[] regions = starts == null ? regions(rule, text, keywords, lines) : new int[] {0, text.length()};
        int from = 0;
        int next = 0;
        for (int r = 0; r < regions.length; r += 2) {
            m.region(regions[r], regions[r + 1]);
            while (starts == null ? m.find() : lookingAtNext(m, starts, next, from, text.length())) {
                if (starts != null) {
                    from = m.end() > m.start() ? m.end() : m.start() + 1;
                    next = Arrays.binarySearch(starts, m.start()) + 1;
                }
                report(rule, m, path, lines, layer, reported, found);
            }
        }
    }

    /** Adds a match to {@code found} unless it is a placeholder or the same secret on the same line was found. */
    private static void report(
            Rule rule,
            Matcher m,
            String path,
            LineIndex lines,
            @Nullable String layer,
            Set<String> reported,
            List<Misconfiguration> found) {
        String secret = rule.group() > 0 && rule.group() <= m.groupCount() && m.group(rule.group()) != null
                ? m.group(rule.group())
                : m.group();
        if (PLACEHOLDERS.contains(secret.toLowerCase(Locale.ROOT))) {
            return;
        }
        int line = lines.lineOf(m.start());
        if (!reported.add(line + "\u0000" + secret)) {
            return;
        }
        found.add(new Misconfiguration(
                rule.check(), path, line, rule.id(), layer, rule.id() + ": " + Secrets.redact(secret)));
    }

    /**
     * Where a rule's pattern is run, as {start, end} offset pairs: the whole text, or for a single-line rule with
     * keywords the lines that hold one of them (a match holds a keyword and lies within one line). Offsets of the
     * lower-cased text stand for the text's own only when lower-casing kept the length.
     */
    private static int[] regions(Rule rule, String text, KeywordSearch keywords, LineIndex lines) {
        if (!rule.singleLine() || rule.keywords().isEmpty() || !keywords.offsetsMatchText()) {
            return new int[] {0, text.length()};
        }
        java.util.BitSet holding = new java.util.BitSet();
        for (String keyword : rule.keywords()) {
            for (int at = keywords.indexOf(keyword, 0); at >= 0; at = keywords.indexOf(keyword, at + 1)) {
                int line = lines.lineOf(at);
                holding.set(line);
                int next = lines.start(line + 1);
                if (next < 0) {
                    break;
                }
                at = Math.max(at, next - 1); // one look per line is enough
            }
        }
        int[] regions = new int[holding.cardinality() * 2];
        int r = 0;
        for (int line = holding.nextSetBit(0); line >= 0; line = holding.nextSetBit(line + 1)) {
            int start = lines.start(line);
            int next = lines.start(line + 1);
            regions[r++] = start;
            regions[r++] = next < 0 ? text.length() : next - 1;
        }
        return regions;
    }

    /**
     * How far into its matches a rule says a keyword begins: {@code keyword-within: N} (at most N characters after
     * the start), {@code starts-with-keyword: true} (0); -1 when it says neither.
     */
    private static int keywordWithin(JsonNode rule) {
        boolean starts = rule.path("starts-with-keyword").asBoolean(false);
        JsonNode within = rule.path("keyword-within");
        if (within.isMissingNode() || within.isNull()) {
            return starts ? 0 : -1;
        }
        if (!within.canConvertToInt()
                || !within.isIntegralNumber()
                || within.asInt() < 0
                || within.asInt() > Rule.MAX_KEYWORD_WITHIN) {
            throw new IllegalArgumentException(
                    "keyword-within must be a number of characters from 0 to " + Rule.MAX_KEYWORD_WITHIN);
        }
        if (starts && within.asInt() != 0) {
            throw new IllegalArgumentException("starts-with-keyword is keyword-within: 0; say one or the other");
        }
        if (rule.path("keywords").isEmpty()) {
            throw new IllegalArgumentException("keyword-within needs keywords");
        }
        return within.asInt();
    }

    /**
     * Where a rule whose matches begin at most {@code keyword-within} characters before a keyword can match: every
     * such offset, in order; null for any other rule (or when lower-casing changed the text's length).
     */
    private static int @Nullable [] starts(Rule rule, KeywordSearch keywords) {
        if (rule.keywordWithin() < 0 || rule.keywords().isEmpty() || !keywords.offsetsMatchText()) {
            return null;
        }
        java.util.BitSet at = new java.util.BitSet();
        for (String keyword : rule.keywords()) {
            for (int i = keywords.indexOf(keyword, 0); i >= 0; i = keywords.indexOf(keyword, i + 1)) {
                at.set(Math.max(0, i - rule.keywordWithin()), i + 1);
            }
        }
        return at.stream().toArray();
    }

    /**
     * What {@link Matcher#find()} would find next from {@code from} for a rule whose matches begin with a keyword:
     * the first keyword offset at or after {@code from} (from index {@code next} of {@code starts}) where the pattern
     * matches. The region is the rest of the text, so a match may run as far as it would in the whole text.
     */
    private static boolean lookingAtNext(Matcher m, int[] starts, int next, int from, int end) {
        for (int i = next; i < starts.length; i++) {
            if (starts[i] < from) {
                continue;
            }
            m.region(starts[i], end);
            if (m.lookingAt()) {
                return true;
            }
        }
        return false;
    }

    /** Line numbers from one pass over the text: the offsets where lines start, searched by bisection. */
    private static final class LineIndex {
        private final int[] starts;

        LineIndex(String text) {
            int[] at = new int[16];
            int count = 1; // line 1 starts at 0
            for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
                if (count == at.length) {
                    at = Arrays.copyOf(at, count * 2);
                }
                at[count++] = i + 1;
            }
            starts = Arrays.copyOf(at, count);
        }

        /** Where 1-based line {@code line} starts, or -1 past the last line. */
        int start(int line) {
            return line >= 1 && line <= starts.length ? starts[line - 1] : -1;
        }

        int lineOf(int offset) {
            int i = Arrays.binarySearch(starts, offset);
            return i >= 0 ? i + 1 : -i - 1;
        }
    }
}
