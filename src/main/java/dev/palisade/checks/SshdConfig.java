package dev.palisade.checks;

import dev.palisade.source.FileTree;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * sshd's configuration as sshd itself reads it: the first value obtained for a keyword wins; Include
 * pulls files in where it stands; a Match line starts a block that lasts to the next Match or the end
 * of the file it is in, and its values override the global ones for the connections it matches.
 */
final class SshdConfig {
    static final String MAIN = "etc/ssh/sshd_config";

    /** A keyword's value and where it was read; {@code match} is the Match criteria, null for the global part. */
    record Setting(String keyword, String value, String path, int line, @Nullable String match) {}

    private final Map<String, Setting> global = new LinkedHashMap<>();
    /** The first value of each keyword in each Match block, in file order. */
    private final List<Setting> inMatchBlocks = new ArrayList<>();

    private final Set<String> blockKeywords = new HashSet<>();
    private int block;

    private SshdConfig() {}

    static SshdConfig read(FileTree tree) {
        SshdConfig config = new SshdConfig();
        config.readFile(tree, MAIN, null, new HashSet<>(), 0);
        return config;
    }

    /** The global value of a keyword (lower case), if the configuration sets one. */
    Optional<Setting> global(String keyword) {
        return Optional.ofNullable(global.get(keyword));
    }

    /** The values Match blocks give a keyword (lower case). */
    List<Setting> inMatchBlocks(String keyword) {
        return inMatchBlocks.stream().filter(s -> s.keyword().equals(keyword)).toList();
    }

    private void readFile(FileTree tree, String path, @Nullable String inherited, Set<String> visited, int depth) {
        // sshd itself refuses Include nesting deeper than 16; files that include each other would
        // otherwise be read again at every level (exponential), so each file is read once.
        if (depth > 16 || !visited.add(tree.resolve(path).orElse(path))) {
            return;
        }
        Optional<String> text = HostChecks.read(tree, path);
        if (text.isEmpty()) {
            return;
        }
        String match = inherited;
        String[] lines = text.get().split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("[\\s=]+", 2);
            String keyword = parts[0].toLowerCase(Locale.ROOT);
            String value = parts.length > 1 ? parts[1].strip() : "";
            if (keyword.equals("match")) {
                match = value;
                block++;
                blockKeywords.clear();
                continue;
            }
            if (keyword.equals("include")) {
                for (String pattern : value.split("\\s+")) {
                    String relative = pattern.startsWith("/") ? pattern.substring(1) : "etc/ssh/" + pattern;
                    for (String included : HostChecks.glob(tree, relative)) {
                        readFile(tree, included, match, visited, depth + 1);
                    }
                }
                continue;
            }
            Setting setting = new Setting(keyword, value, path, i + 1, match);
            if (match == null) {
                global.putIfAbsent(keyword, setting);
            } else if (blockKeywords.add(block + "\0" + keyword)) {
                inMatchBlocks.add(setting);
            }
        }
        if (match != null && inherited == null) {
            // a Match block in an included file ends with that file (OpenSSH 8.4 and later)
            block++;
            blockKeywords.clear();
        }
    }

    /** sshd's time format: a number of seconds, or numbers with s, m, h, d or w after them ("1m30s"). */
    static long seconds(String value) {
        try {
            return parseSeconds(value);
        } catch (NumberFormatException | ArithmeticException e) {
            return -1;
        }
    }

    private static long parseSeconds(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.matches("\\d+")) {
            return Long.parseLong(v);
        }
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d+)([smhdw])").matcher(v);
        long total = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return -1;
            }
            long unit =
                    switch (m.group(2)) {
                        case "m" -> 60;
                        case "h" -> 3600;
                        case "d" -> 86400;
                        case "w" -> 604800;
                        default -> 1;
                    };
            total = Math.addExact(total, Math.multiplyExact(Long.parseLong(m.group(1)), unit));
            end = m.end();
        }
        return end == v.length() && end > 0 ? total : -1;
    }
}
