package dev.palisade.checks;

import dev.palisade.source.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks on a Dockerfile (or Containerfile), read instruction by instruction as BuildKit reads it
 * ({@link DockerfileParser}), with line numbers. Quoted commands and URLs are reported with their
 * credentials redacted.
 */
public final class DockerfileChecks {
    private static final Pattern DOWNLOAD = Pattern.compile("(?i)\\b(curl|wget)\\b");
    private static final Pattern SHELL_STAGE = Pattern.compile("(?i)\\s*(sudo\\s+)?(ba|z|da|a|k)?sh\\b");
    private static final Pattern SHELL_OF_DOWNLOAD = Pattern.compile("(?i)\\b(ba)?sh\\s+<\\(\\s*(curl|wget)\\b");
    private static final Pattern SUDO = Pattern.compile("(^|[\\s;&|(])sudo\\s");
    // option runs are bounded: Java's regex engine recurses per repetition of a group
    private static final Pattern APT_INSTALL =
            Pattern.compile("(?i)\\bapt(?:-get)?\\s+(?:-\\S+\\s+){0,20}install\\b([^;&|\\n]*)");
    private static final Pattern UPGRADE = Pattern.compile(
            "(?i)\\b(apt(?:-get)?\\s+(?:-\\S+\\s+){0,20}(?:dist-)?upgrade|apk\\s+upgrade|yum\\s+(?:-\\S+\\s+){0,20}update|dnf\\s+(?:-\\S+\\s+){0,20}upgrade)\\b");

    private final CheckCatalog catalog;
    private final TrustedSources trusted;

    public DockerfileChecks(CheckCatalog catalog) {
        this(catalog, TrustedSources.NONE);
    }

    /** @param trusted the registries images may come from, and whether they must be pinned by digest */
    public DockerfileChecks(CheckCatalog catalog, TrustedSources trusted) {
        this.catalog = catalog;
        this.trusted = trusted;
    }

    /** The findings of one Dockerfile, and what in it BuildKit would refuse. */
    public record Evaluation(List<Misconfiguration> misconfigurations, List<Problem> problems) {
        public Evaluation {
            misconfigurations = List.copyOf(misconfigurations);
            problems = List.copyOf(problems);
        }
    }

    public List<Misconfiguration> evaluate(String path, String text) {
        return evaluateWithProblems(path, text).misconfigurations();
    }

    /** The findings, plus a problem for each thing BuildKit would reject (an unterminated heredoc, a repeated directive). */
    public Evaluation evaluateWithProblems(String path, String text) {
        DockerfileParser.Parsed parsed = DockerfileParser.parse(text);
        List<Misconfiguration> found = new ArrayList<>();
        Map<String, @Nullable String> metaArguments = new HashMap<>();
        Set<String> stages = new HashSet<>();
        boolean beforeFirstFrom = true;
        String lastUser = null;
        int lastUserLine = 0;
        int lastFromLine = 0;
        for (DockerfileParser.Instruction in : parsed.instructions()) {
            String args = in.arguments();
            switch (in.keyword()) {
                case "FROM" -> {
                    beforeFirstFrom = false;
                    lastUser = null;
                    lastFromLine = in.line();
                    from(path, in, parsed.escape(), metaArguments, stages, found);
                }
                case "USER" -> {
                    lastUser = args.strip().split("\\s+", -1)[0];
                    lastUserLine = in.line();
                }
                case "ADD" -> {
                    boolean checksum = args.contains("--checksum=");
                    for (String word : args.split("\\s+")) {
                        if ((word.startsWith("http://") || word.startsWith("https://")) && !checksum) {
                            found.add(finding("PAL-2003", path, in, "ADD", "ADD " + word));
                            break;
                        }
                    }
                }
                case "RUN" -> run(path, in, found);
                case "ARG", "ENV" -> {
                    if (beforeFirstFrom && in.keyword().equals("ARG")) {
                        declare(args, parsed.escape(), metaArguments);
                    }
                    secrets(path, in, found);
                }
                default -> {}
            }
        }
        if (lastFromLine > 0
                && (lastUser == null
                        || lastUser.equals("root")
                        || lastUser.equals("0")
                        || lastUser.startsWith("root:")
                        || lastUser.startsWith("0:"))) {
            found.add(new Misconfiguration(
                    catalog.get("PAL-2002"),
                    path,
                    lastUser == null ? lastFromLine : lastUserLine,
                    "USER",
                    null,
                    lastUser == null
                            ? "the final stage has no USER: it runs as root"
                            : "the final stage ends with USER " + lastUser));
        }
        List<Problem> problems = parsed.problems().stream()
                .map(p -> new Problem(path, null, "line " + p.line() + ": " + p.message()))
                .toList();
        return new Evaluation(found, problems);
    }

    /**
     * FROM names a stage built earlier or an image; the image is judged after the arguments declared
     * before the first FROM are substituted, as BuildKit substitutes them. An image that depends on a
     * value given only at build time is not judged.
     */
    private void from(
            String path,
            DockerfileParser.Instruction in,
            char escape,
            Map<String, @Nullable String> metaArguments,
            Set<String> stages,
            List<Misconfiguration> found) {
        List<String> words = DockerfileWords.rawWords(DockerfileParser.withoutFlags(in.arguments()), escape);
        if (words.isEmpty()) {
            return;
        }
        String written = words.get(0);
        DockerfileWords.Expanded expanded = DockerfileWords.expand(written, metaArguments, escape);
        String image = expanded.value();
        boolean judged = expanded.resolved()
                && !image.isEmpty()
                && !image.equals("scratch")
                && !stages.contains(image.toLowerCase(Locale.ROOT));
        if (words.size() >= 3 && words.get(1).equalsIgnoreCase("AS")) {
            stages.add(words.get(2).toLowerCase(Locale.ROOT));
        }
        if (!judged) {
            return;
        }
        String origin = image.equals(written) ? "" : " (written FROM " + written + ")";
        if (!image.contains("@sha256:")) {
            found.add(finding(
                    "PAL-2001", path, in, "FROM", "FROM " + image + ImageConfigChecks.describeTag(image) + origin));
        }
        for (TrustedSources.Violation v : trusted.violations(image)) {
            found.add(finding(v.checkId(), path, in, "FROM", "FROM " + v.message() + origin));
        }
    }

    /** An ARG before the first FROM: {@code NAME} or {@code NAME=value}, several per line, values substituted in order. */
    private static void declare(String arguments, char escape, Map<String, @Nullable String> metaArguments) {
        for (String word : DockerfileWords.rawWords(arguments, escape)) {
            int equals = word.indexOf('=');
            if (equals < 0) {
                metaArguments.putIfAbsent(word, null);
                continue;
            }
            DockerfileWords.Expanded value = DockerfileWords.expand(word.substring(equals + 1), metaArguments, escape);
            metaArguments.put(word.substring(0, equals), value.resolved() ? value.value() : null);
        }
    }

    /** The RUN checks see the command and its heredoc bodies, whose backslash-newlines the shell joins. */
    private void run(String path, DockerfileParser.Instruction in, List<Misconfiguration> found) {
        String args = in.arguments();
        StringBuilder script = new StringBuilder(args);
        for (DockerfileParser.Heredoc heredoc : in.heredocs()) {
            script.append('\n').append(heredoc.body().replace("\\\n", ""));
        }
        String text = script.toString();
        if (args.contains("--security=insecure")) {
            found.add(finding("PAL-2008", path, in, "RUN", "RUN --security=insecure"));
        }
        int pipe = pipeToShell(text);
        if (pipe >= 0) {
            found.add(finding("PAL-2004", path, in, "RUN", "RUN " + lineAround(text, pipe)));
        }
        if (SUDO.matcher(text).find()) {
            found.add(finding("PAL-2006", path, in, "RUN", "RUN uses sudo"));
        }
        Matcher upgrade = UPGRADE.matcher(text);
        if (upgrade.find()) {
            found.add(finding("PAL-2007", path, in, "RUN", "RUN " + upgrade.group(1)));
        }
        Matcher install = APT_INSTALL.matcher(text);
        while (install.find()) {
            List<String> unpinned = new ArrayList<>();
            for (String word : install.group(1).trim().split("\\s+")) {
                if (!word.isEmpty() && !word.startsWith("-") && !word.contains("=") && !word.startsWith("$")) {
                    unpinned.add(word);
                }
            }
            if (!unpinned.isEmpty()) {
                found.add(finding(
                        "PAL-2007",
                        path,
                        in,
                        "RUN",
                        "apt-get install without versions: " + String.join(" ", unpinned)));
            }
        }
    }

    /**
     * Where a download is piped into a shell ({@code curl ... | sh}, {@code sh <(wget ...)}), or -1.
     * One pass over the commands (split at {@code ; & newline}) and their pipeline stages, so a long
     * hostile line costs linear time.
     */
    static int pipeToShell(String text) {
        int commandStart = 0;
        int n = text.length();
        for (int i = 0; i <= n; i++) {
            if (i < n && ";&\n".indexOf(text.charAt(i)) < 0) {
                continue;
            }
            String command = text.substring(commandStart, i);
            boolean downloaded = false;
            int stageStart = 0;
            for (int j = 0; j <= command.length(); j++) {
                if (j < command.length() && command.charAt(j) != '|') {
                    continue;
                }
                String stage = command.substring(stageStart, j);
                if (downloaded && SHELL_STAGE.matcher(stage).lookingAt()) {
                    return commandStart;
                }
                downloaded = DOWNLOAD.matcher(stage).find();
                stageStart = j + 1;
            }
            Matcher substitution = SHELL_OF_DOWNLOAD.matcher(command);
            if (substitution.find()) {
                return commandStart + substitution.start();
            }
            commandStart = i + 1;
        }
        return -1;
    }

    /** The line of {@code text} at {@code index}. */
    private static String lineAround(String text, int index) {
        int start = text.lastIndexOf('\n', Math.max(0, index - 1)) + 1;
        int end = text.indexOf('\n', index);
        return text.substring(start, end < 0 ? text.length() : end).strip();
    }

    private Misconfiguration finding(
            String checkId, String path, DockerfileParser.Instruction in, String keyPath, String message) {
        String shown = SecretRedaction.redact(message).replaceAll("\\s+", " ");
        return new Misconfiguration(catalog.get(checkId), path, in.line(), keyPath, null, clip(shown));
    }

    private void secrets(String path, DockerfileParser.Instruction in, List<Misconfiguration> found) {
        String args = in.arguments();
        List<String[]> pairs = new ArrayList<>();
        if (in.keyword().equals("ENV") && !args.contains("=")) {
            String[] parts = args.split("\\s+", 2);
            pairs.add(new String[] {parts[0], parts.length > 1 ? parts[1] : ""});
        } else {
            Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|'[^']*'|\\S*)")
                    .matcher(args);
            while (m.find()) {
                String value = m.group(2);
                if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                pairs.add(new String[] {m.group(1), value});
            }
        }
        for (String[] pair : pairs) {
            if (Secrets.isSecret(pair[0], pair[1])) {
                found.add(finding(
                        "PAL-2005",
                        path,
                        in,
                        in.keyword() + "." + pair[0],
                        in.keyword() + " " + pair[0] + "=" + Secrets.redact(pair[1])));
            }
        }
    }

    private static String clip(String text) {
        return text.length() <= 120 ? text : text.substring(0, 119) + "…";
    }
}
