package dev.palisade.checks;

import dev.palisade.source.FileEntry;
import dev.palisade.source.FileTree;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The kernel parameters a root file system sets at boot, as systemd-sysctl applies them: the
 * {@code *.conf} files of /etc/sysctl.d, /run/sysctl.d, /usr/local/lib/sysctl.d, /usr/lib/sysctl.d and
 * /lib/sysctl.d, where a file in an earlier directory replaces (or, linked to /dev/null, masks) the
 * file of the same name in a later one, read in the order of their names, the last value of a key
 * winning. /etc/sysctl.conf counts through the 99-sysctl.conf link systemd installs, or, without
 * systemd, last (as procps' {@code sysctl --system}).
 */
final class KernelParameters {
    private static final List<String> DIRECTORIES =
            List.of("etc/sysctl.d", "run/sysctl.d", "usr/local/lib/sysctl.d", "usr/lib/sysctl.d", "lib/sysctl.d");

    /** A parameter's value and the file and line that set it. */
    record Value(String value, String path, int line) {}

    private final Map<String, Value> values = new TreeMap<>();

    private KernelParameters() {}

    /** The values of {@code keys} (dotted names) the root's configuration sets. */
    static KernelParameters read(FileTree tree, Collection<String> keys) {
        KernelParameters parameters = new KernelParameters();
        Map<String, String> files = new TreeMap<>(); // file name -> path of the copy that counts
        for (String directory : DIRECTORIES) {
            Optional<String> resolved = tree.resolve(directory);
            if (resolved.isEmpty()) {
                continue;
            }
            for (FileEntry e : tree.children(resolved.get())) {
                if (e.name().endsWith(".conf")) {
                    files.putIfAbsent(e.name(), directory + "/" + e.name());
                }
            }
        }
        for (String path : files.values()) {
            parameters.apply(tree, path, keys);
        }
        boolean systemd = tree.resolveEntry("usr/lib/systemd/systemd-sysctl").isPresent()
                || tree.resolveEntry("lib/systemd/systemd-sysctl").isPresent();
        if (!systemd) {
            parameters.apply(tree, "etc/sysctl.conf", keys);
        }
        return parameters;
    }

    Optional<Value> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    private void apply(FileTree tree, String path, Collection<String> keys) {
        // a file linked to /dev/null masks the one of the same name: it reads as nothing
        Optional<String> text = HostChecks.read(tree, path);
        if (text.isEmpty()) {
            return;
        }
        String[] lines = text.get().split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String key = normalise(line.substring(0, equals).strip().replaceFirst("^-", ""));
            String value = line.substring(equals + 1).strip().replaceAll("\\s+", " ");
            Value set = new Value(value, path, i + 1);
            if (key.contains("*") || key.contains("?")) {
                Wildcard glob = Wildcard.withSeparator(key, '.');
                for (String wanted : keys) {
                    if (glob.matches(wanted)) {
                        values.put(wanted, set);
                    }
                }
            } else {
                values.put(key, set);
            }
        }
    }

    /** sysctl accepts net/ipv4/ip_forward as well as net.ipv4.ip_forward: when the first separator is a slash, they swap. */
    static String normalise(String key) {
        int slash = key.indexOf('/');
        int dot = key.indexOf('.');
        String k = key;
        if (slash >= 0 && (dot < 0 || slash < dot)) {
            StringBuilder swapped = new StringBuilder();
            for (char c : key.toCharArray()) {
                swapped.append(c == '/' ? '.' : c == '.' ? '/' : c);
            }
            k = swapped.toString();
        }
        return k.toLowerCase(Locale.ROOT);
    }
}
