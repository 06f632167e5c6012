package dev.palisade.source;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Files and directories of an artifact the user asked not to read ({@code --skip-files},
 * {@code --skip-dirs}), as globs over paths relative to the artifact's root, with Trivy's semantics:
 * {@code *} and {@code ?} stay within one path segment, {@code **} spans any number of them (none
 * included, so {@code **}{@code /node_modules} also skips a top-level {@code node_modules}), and a
 * skipped directory skips everything below it.
 */
public final class PathSkips {
    public static final PathSkips NONE = new PathSkips(List.of(), List.of());

    private final List<String> filePatterns;
    private final List<String> directoryPatterns;
    private final List<PathMatcher> files;
    private final List<PathMatcher> directories;

    private PathSkips(List<String> filePatterns, List<String> directoryPatterns) {
        this.filePatterns = List.copyOf(filePatterns);
        this.directoryPatterns = List.copyOf(directoryPatterns);
        this.files = matchers(filePatterns, "--skip-files");
        this.directories = matchers(directoryPatterns, "--skip-dirs");
    }

    /** @throws IllegalArgumentException naming the option when a pattern is not a glob */
    public static PathSkips of(List<String> filePatterns, List<String> directoryPatterns) {
        if (filePatterns.isEmpty() && directoryPatterns.isEmpty()) {
            return NONE;
        }
        return new PathSkips(filePatterns, directoryPatterns);
    }

    public boolean isEmpty() {
        return files.isEmpty() && directories.isEmpty();
    }

    public List<String> filePatterns() {
        return filePatterns;
    }

    public List<String> directoryPatterns() {
        return directoryPatterns;
    }

    /** Whether the file or directory at {@code path} (relative, {@code /}-separated) is not to be read. */
    public boolean skips(String path) {
        if (isEmpty()) {
            return false;
        }
        String relative = relative(path);
        if (relative.isEmpty()) {
            return false;
        }
        Path asPath = Path.of(relative);
        for (PathMatcher m : files) {
            if (m.matches(asPath)) {
                return true;
            }
        }
        if (directories.isEmpty()) {
            return false;
        }
        // the path itself (a directory) or any directory above it
        String current = relative;
        while (true) {
            Path directory = Path.of(current);
            for (PathMatcher m : directories) {
                if (m.matches(directory)) {
                    return true;
                }
            }
            int slash = current.lastIndexOf('/');
            if (slash < 0) {
                return false;
            }
            current = current.substring(0, slash);
        }
    }

    private static String relative(String path) {
        String p = path;
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static List<PathMatcher> matchers(List<String> patterns, String option) {
        List<PathMatcher> matchers = new ArrayList<>();
        for (String raw : patterns) {
            String pattern = relative(raw.trim());
            if (pattern.isEmpty()) {
                continue;
            }
            try {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
                // ** matches no directory too: **/x skips a top-level x, a/**/b skips a/b
                String collapsed = pattern.replace("/**/", "/").replaceFirst("^\\*\\*/", "");
                if (!collapsed.equals(pattern) && !collapsed.isEmpty()) {
                    matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + collapsed));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": not a pattern: '" + raw + "' (" + e.getMessage() + ")");
            }
        }
        return matchers;
    }
}
