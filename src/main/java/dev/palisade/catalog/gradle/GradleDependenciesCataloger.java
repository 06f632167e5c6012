package dev.palisade.catalog.gradle;

import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.FileCataloger;
import dev.palisade.catalog.Purls;
import dev.palisade.catalog.TextDecoding;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The saved output of {@code gradle dependencies} ({@code gradle-dependencies.txt}): for each configuration the
 * tree Gradle resolved. {@code g:n:1.0 -> 1.2} is 1.2 (conflict resolution or a rule), {@code g:n -> 1.2} a
 * version from a platform, {@code g:n:1.0 -> h:m:2.0} a substitution; {@code (*)} repeats a subtree printed
 * before; {@code (c)} is a constraint and {@code (n)} a declaration in a configuration that is never resolved,
 * neither a dependency; {@code FAILED} is reported; {@code project :x} is one of the build's own projects.
 */
public final class GradleDependenciesCataloger extends FileCataloger {
    public static final String FILE_NAME = "gradle-dependencies.txt";

    private static final int MAX_DEPTH = 200;

    @Override
    public String name() {
        return "gradle-dependencies";
    }

    @Override
    public boolean wants(FileEntry file) {
        return isNamed(file, FILE_NAME);
    }

    /** One module as the tree showed it, over every configuration and place it appeared. */
    private static final class Module {
        final String group;
        final String name;
        final String version;
        final Set<String> configurations = new LinkedHashSet<>();
        final Set<String> children = new LinkedHashSet<>();
        final String path;
        boolean direct;

        Module(String group, String name, String version, String path) {
            this.group = group;
            this.name = name;
            this.version = version;
            this.path = path;
        }
    }

    /** A node of the tree: a module's purl, or null for a project of the build. */
    private record Node(String label, @Nullable String purl) {}

    @Override
    protected List<Package> parse(String path, byte[] bytes, CatalogContext context) {
        Map<String, Module> modules = new LinkedHashMap<>();
        Set<String> failed = new LinkedHashSet<>();
        String project = "project";
        String configuration = "";
        List<Node> ancestors = new ArrayList<>();
        int treeLines = 0;
        String text = TextDecoding.completeLines(TextDecoding.utf8(bytes), path, context);
        for (int start = 0, end; start <= text.length(); start = end + 1) {
            end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            String line = text.substring(start, end).stripTrailing();
            int branch = treeBranch(line);
            if (branch < 0) {
                String name = projectName(line);
                if (name != null) {
                    project = name.isEmpty() ? "project" : "project " + name;
                } else {
                    String c = configurationName(line);
                    if (c != null) {
                        configuration = c;
                    }
                }
                ancestors.clear();
                continue;
            }
            treeLines++;
            int depth = branch / 5;
            String dependency = line.substring(branch + TREE_BRANCH.length());
            if (depth > ancestors.size() || depth > MAX_DEPTH) {
                context.problem(path, "a line of the tree deeper than its parent was left out: " + shorten(line));
                continue;
            }
            while (ancestors.size() > depth) {
                ancestors.remove(ancestors.size() - 1);
            }
            Entry entry = Entry.parse(dependency);
            if (entry == null) {
                context.problem(path, "not a dependency of the tree, left out: " + shorten(line));
                ancestors.add(new Node(shorten(dependency), null));
                continue;
            }
            if (entry.failed()) {
                failed.add(entry.coordinates());
            }
            if (entry.project() || entry.constraint() || entry.notResolved() || entry.failed()) {
                ancestors.add(new Node(entry.coordinates(), null));
                continue;
            }
            if (!Purls.isMavenCoordinate(entry.group(), entry.name())) {
                context.problem(
                        path, "makes no Package URL (an empty segment between slashes), left out: " + shorten(line));
                ancestors.add(new Node(entry.coordinates(), null));
                continue;
            }
            String purl = Purls.of(Ecosystem.MAVEN, entry.group(), entry.name(), entry.version());
            String parent = ancestors.isEmpty()
                    ? null
                    : ancestors.get(ancestors.size() - 1).purl();
            Module parentModule = parent == null ? null : modules.get(parent);
            if (parentModule != null) {
                parentModule.children.add(purl);
            }
            Module module = modules.get(purl);
            if (module == null) {
                module = new Module(
                        entry.group(), entry.name(), entry.version(), dependencyPath(project, ancestors, entry));
                modules.put(purl, module);
            }
            module.configurations.add(configuration);
            module.direct |= depth == 0;
            ancestors.add(new Node(entry.coordinates(), purl));
        }
        if (treeLines == 0) {
            context.problem(
                    path,
                    "holds no dependency tree: save the output of `gradle dependencies` (or `./gradlew "
                            + "dependencies`) run in the project, which lists one tree per configuration");
        }
        for (String f : failed) {
            context.problem(path, f + ": Gradle could not resolve it (FAILED): it and its dependencies are not listed");
        }
        List<Package> packages = new ArrayList<>();
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            Module m = e.getValue();
            Map<String, String> metadata = new TreeMap<>();
            metadata.put("groupId", m.group);
            metadata.put("artifactId", m.name);
            metadata.put("scope", String.join(",", m.configurations));
            metadata.put("direct", Boolean.toString(m.direct));
            metadata.put("dependencyPath", m.path);
            if (!m.children.isEmpty()) {
                metadata.put("dependsOn", String.join(" ", m.children));
            }
            packages.add(pkg(Ecosystem.MAVEN, m.group + ":" + m.name, m.version, e.getKey(), path, metadata));
        }
        return packages;
    }

    private static final String TREE_BRANCH = "+--- ";

    /**
     * Where a tree line's {@code +--- } or {@code \--- } begins, after its indentation of {@code "|    "} or
     * {@code "     "} per level; -1 when the line is not one of the tree's (nothing may follow the branch but a
     * dependency on one line).
     */
    static int treeBranch(String line) {
        int i = 0;
        while (i + 5 <= line.length()
                && (line.charAt(i) == '|' || line.charAt(i) == ' ')
                && line.startsWith("    ", i + 1)) {
            i += 5;
        }
        if (i + TREE_BRANCH.length() >= line.length()
                || (line.charAt(i) != '+' && line.charAt(i) != '\\')
                || !line.startsWith("--- ", i + 1)
                || hasLineTerminator(line, i + TREE_BRANCH.length())) {
            return -1;
        }
        return i;
    }

    /** The name of {@code Root project 'name'...} or {@code Project 'name'...}, or null for another line. */
    static @Nullable String projectName(String line) {
        int open = line.startsWith("Root project '") ? 13 : line.startsWith("Project '") ? 8 : -1;
        int close = open < 0 ? -1 : line.indexOf('\'', open + 1);
        if (close < 0 || hasLineTerminator(line, close + 1)) {
            return null;
        }
        return line.substring(open + 1, close);
    }

    /**
     * The configuration a heading names: {@code name}, {@code name - description} or {@code name (n)}, the name a
     * letter followed by letters, digits and underscores; null for another line.
     */
    static @Nullable String configurationName(String line) {
        int end = 0;
        while (end < line.length() && isNameChar(line.charAt(end), end == 0)) {
            end++;
        }
        if (end == 0) {
            return null;
        }
        String rest = line.substring(end);
        boolean heading =
                rest.isEmpty() || rest.equals(" (n)") || (rest.startsWith(" - ") && !hasLineTerminator(rest, 3));
        return heading ? line.substring(0, end) : null;
    }

    private static boolean isNameChar(char c, boolean first) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (!first && ((c >= '0' && c <= '9') || c == '_'));
    }

    /** Whether a line terminator as {@code .} in a regular expression knows them follows {@code from}. */
    private static boolean hasLineTerminator(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }

    private static String shorten(String line) {
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /** One line's dependency, its markers taken off. */
    record Entry(
            String group,
            String name,
            String version,
            boolean project,
            boolean constraint,
            boolean notResolved,
            boolean failed) {
        String coordinates() {
            return project ? name : group + ":" + name + ":" + version;
        }

        static @Nullable Entry parse(String text) {
            String rest = text.strip();
            boolean constraint = false;
            boolean notResolved = false;
            boolean failed = false;
            for (boolean stripped = true; stripped; ) {
                stripped = false;
                for (String marker : List.of("(*)", "(c)", "(n)", "FAILED")) {
                    if (rest.endsWith(" " + marker) || rest.equals(marker)) {
                        rest = rest.substring(0, rest.length() - marker.length())
                                .strip();
                        constraint |= marker.equals("(c)");
                        notResolved |= marker.equals("(n)");
                        failed |= marker.equals("FAILED");
                        stripped = true;
                    }
                }
            }
            String requested = rest;
            String selected = null;
            int arrow = rest.indexOf(" -> ");
            if (arrow >= 0) {
                requested = rest.substring(0, arrow).strip();
                selected = rest.substring(arrow + 4).strip();
            }
            if (requested.startsWith("project ")) {
                if (selected == null || selected.startsWith("project ")) {
                    String name = selected == null ? requested : selected;
                    return new Entry("", name, "", true, constraint, notResolved, failed);
                }
            }
            String[] parts = requested.split(":", 3);
            if (selected != null && selected.indexOf(':') > 0) {
                if (selected.startsWith("project ")) {
                    return new Entry("", selected, "", true, constraint, notResolved, failed);
                }
                parts = selected.split(":", 3); // a substitution: another module altogether
                selected = parts.length == 3 ? parts[2] : null;
            }
            if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                return null;
            }
            String version = selected != null ? selected : parts.length == 3 ? parts[2] : "";
            if (version.isEmpty() || version.contains(" ") || version.contains("{")) {
                if (!constraint && !notResolved && !failed) {
                    return null;
                }
            }
            return new Entry(parts[0], parts[1], version, false, constraint, notResolved, failed);
        }
    }

    /** Longest dependency path kept: a deep tree of long coordinates must not grow memory with its square. */
    private static final int MAX_PATH_CHARS = 1024;

    /** How the first sighting of a module was pulled in, shortened in the middle when it is long. */
    private static String dependencyPath(String project, List<Node> ancestors, Entry entry) {
        StringBuilder path = new StringBuilder(shorten(project));
        for (Node a : ancestors) {
            if (path.length() > MAX_PATH_CHARS) {
                path.append(" > ...");
                break;
            }
            path.append(" > ").append(shorten(a.label()));
        }
        return path.append(" > ").append(shorten(entry.coordinates())).toString();
    }
}
