package dev.palisade.checks;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks on a Dockerfile (or Containerfile), read instruction by instruction with line numbers. */
public final class DockerfileChecks {
    private static final Pattern PIPE_TO_SHELL = Pattern.compile(
            "(?i)\\b(curl|wget)\\b[^|;&]*\\|\\s*(sudo\\s+)?(ba|z|da|a|k)?sh\\b|\\b(ba)?sh\\s+<\\(\\s*(curl|wget)\\b");
    private static final Pattern APT_INSTALL = Pattern.compile("(?i)\\bapt(?:-get)?\\s+(?:-\\S+\\s+)*install\\b([^;&|]*)");
    private static final Pattern UPGRADE = Pattern.compile("(?i)\\b(apt(?:-get)?\\s+(?:-\\S+\\s+)*(?:dist-)?upgrade|apk\\s+upgrade|yum\\s+(?:-\\S+\\s+)*update|dnf\\s+(?:-\\S+\\s+)*upgrade)\\b");

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

    /** One instruction: keyword, arguments (continuations joined), and the line it starts on. */
    record Instruction(String keyword, String arguments, int line) {}

    static List<Instruction> parse(String text) {
        List<Instruction> instructions = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (current == null && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (current != null && trimmed.startsWith("#")) {
                continue; // comment lines inside a continuation are dropped, as Docker does
            }
            boolean continues = trimmed.endsWith("\\");
            String content = continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
            if (current == null) {
                current = new StringBuilder(content);
                start = i + 1;
            } else {
                current.append(' ').append(content);
            }
            if (!continues) {
                String whole = current.toString().strip();
                int space = whole.indexOf(' ');
                String keyword = (space < 0 ? whole : whole.substring(0, space)).toUpperCase(Locale.ROOT);
                instructions.add(new Instruction(keyword, space < 0 ? "" : whole.substring(space + 1).strip(), start));
                current = null;
            }
        }
        return instructions;
    }

    public List<Misconfiguration> evaluate(String path, String text) {
        List<Misconfiguration> found = new ArrayList<>();
        List<Instruction> instructions = parse(text);
        Set<String> stages = new HashSet<>();
        String lastUser = null;
        int lastUserLine = 0;
        int lastFromLine = 0;
        for (Instruction in : instructions) {
            String args = in.arguments();
            switch (in.keyword()) {
                case "FROM" -> {
                    lastUser = null;
                    lastFromLine = in.line();
                    String[] words = args.replaceAll("--platform=\\S+\\s*", "").split("\\s+");
                    String image = words[0];
                    if (words.length >= 3 && words[1].equalsIgnoreCase("AS")) {
                        stages.add(words[2].toLowerCase(Locale.ROOT));
                    }
                    if (image.equals("scratch") || stages.contains(image.toLowerCase(Locale.ROOT)) || image.contains("$")) {
                        continue;
                    }
                    if (!image.contains("@sha256:")) {
                        found.add(new Misconfiguration(catalog.get("PAL-2001"), path, in.line(), "FROM", null,
                                "FROM " + image + ImageConfigChecks.describeTag(image)));
                    }
                    for (TrustedSources.Violation v : trusted.violations(image)) {
                        found.add(new Misconfiguration(catalog.get(v.checkId()), path, in.line(), "FROM", null, "FROM " + v.message()));
                    }
                }
                case "USER" -> {
                    lastUser = args.split("\\s+")[0];
                    lastUserLine = in.line();
                }
                case "ADD" -> {
                    boolean checksum = args.contains("--checksum=");
                    for (String word : args.split("\\s+")) {
                        if ((word.startsWith("http://") || word.startsWith("https://")) && !checksum) {
                            found.add(new Misconfiguration(catalog.get("PAL-2003"), path, in.line(), "ADD", null, "ADD " + word));
                            break;
                        }
                    }
                }
                case "RUN" -> {
                    if (args.contains("--security=insecure")) {
                        found.add(new Misconfiguration(catalog.get("PAL-2008"), path, in.line(), "RUN", null, "RUN --security=insecure"));
                    }
                    if (PIPE_TO_SHELL.matcher(args).find()) {
                        found.add(new Misconfiguration(catalog.get("PAL-2004"), path, in.line(), "RUN", null, "RUN " + clip(args)));
                    }
                    if (Pattern.compile("(^|[\\s;&|(])sudo\\s").matcher(args).find()) {
                        found.add(new Misconfiguration(catalog.get("PAL-2006"), path, in.line(), "RUN", null, "RUN uses sudo"));
                    }
                    Matcher upgrade = UPGRADE.matcher(args);
                    if (upgrade.find()) {
                        found.add(new Misconfiguration(catalog.get("PAL-2007"), path, in.line(), "RUN", null, "RUN " + upgrade.group(1)));
                    }
                    Matcher install = APT_INSTALL.matcher(args);
                    while (install.find()) {
                        List<String> unpinned = new ArrayList<>();
                        for (String word : install.group(1).trim().split("\\s+")) {
                            if (!word.isEmpty() && !word.startsWith("-") && !word.contains("=") && !word.startsWith("$")) {
                                unpinned.add(word);
                            }
                        }
                        if (!unpinned.isEmpty()) {
                            found.add(new Misconfiguration(catalog.get("PAL-2007"), path, in.line(), "RUN", null,
                                    "apt-get install without versions: " + String.join(" ", unpinned)));
                        }
                    }
                }
                case "ARG", "ENV" -> secrets(path, in, found);
                default -> { }
            }
        }
        if (lastFromLine > 0 && (lastUser == null || lastUser.equals("root") || lastUser.equals("0") || lastUser.startsWith("root:")
                || lastUser.startsWith("0:"))) {
            found.add(new Misconfiguration(catalog.get("PAL-2002"), path, lastUser == null ? lastFromLine : lastUserLine, "USER", null,
                    lastUser == null ? "the final stage has no USER: it runs as root" : "the final stage ends with USER " + lastUser));
        }
        return found;
    }

    private void secrets(String path, Instruction in, List<Misconfiguration> found) {
        String args = in.arguments();
        List<String[]> pairs = new ArrayList<>();
        if (in.keyword().equals("ENV") && !args.contains("=")) {
            String[] parts = args.split("\\s+", 2);
            pairs.add(new String[] {parts[0], parts.length > 1 ? parts[1] : ""});
        } else {
            Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|'[^']*'|\\S*)").matcher(args);
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
                found.add(new Misconfiguration(catalog.get("PAL-2005"), path, in.line(), in.keyword() + "." + pair[0], null,
                        in.keyword() + " " + pair[0] + "=" + Secrets.redact(pair[1])));
            }
        }
    }

    private static String clip(String text) {
        return text.length() <= 120 ? text : text.substring(0, 119) + "…";
    }
}
