package dev.palisade.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.source.Deadline;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileTree;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.Problem;
import dev.palisade.source.StructuredText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Finds configuration files under a path (Dockerfiles, Kubernetes manifests, docker-compose files,
 * SAM/CloudFormation templates, serverless.yml) and runs their checks.
 * Files are read through the artifact's tree; files over the size limit are reported, not read.
 */
public final class ConfigScanner {
    private static final Set<String> SKIPPED = Set.of(".git", "node_modules", "vendor", "target", ".terraform");

    private final DockerfileChecks dockerfiles;
    private final KubernetesChecks kubernetes;
    private final ComposeChecks compose;
    private final ServerlessChecks serverless;
    private final long maxFileBytes;
    private final int maxFindings;
    private final Deadline deadline;
    private final @Nullable LearnedSeccompChecks learned;

    /** @param today the date deprecated runtimes are judged against */
    public ConfigScanner(CheckCatalog catalog, long maxFileBytes, java.time.LocalDate today) {
        this(catalog, maxFileBytes, today, TrustedSources.NONE);
    }

    /** @param trusted the registries images may come from, checked wherever a file names an image */
    public ConfigScanner(CheckCatalog catalog, long maxFileBytes, java.time.LocalDate today, TrustedSources trusted) {
        this(catalog, maxFileBytes, today, trusted, BoundedFindings.DEFAULT_MAX);
    }

    /** @param maxFindings findings kept per scan, the most severe first; the rest are counted */
    public ConfigScanner(
            CheckCatalog catalog,
            long maxFileBytes,
            java.time.LocalDate today,
            TrustedSources trusted,
            int maxFindings) {
        this(catalog, maxFileBytes, today, trusted, maxFindings, Deadline.none());
    }

    /** @param deadline when the scan must stop: the files not reached by then are reported, not taken as clean */
    public ConfigScanner(
            CheckCatalog catalog,
            long maxFileBytes,
            java.time.LocalDate today,
            TrustedSources trusted,
            int maxFindings,
            Deadline deadline) {
        this(catalog, maxFileBytes, today, trusted, maxFindings, deadline, null);
    }

    /**
     * @param learned what a traced run of the workload needed ({@code --learned}): each workload's seccomp
     *     profile is compared with it
     */
    public ConfigScanner(
            CheckCatalog catalog,
            long maxFileBytes,
            java.time.LocalDate today,
            TrustedSources trusted,
            int maxFindings,
            Deadline deadline,
            @Nullable LearnedProfile learned) {
        this.learned = learned == null
                ? null
                : new LearnedSeccompChecks(catalog, learned, RuntimeDefaultSeccomp.load(), maxFileBytes);
        this.maxFindings = maxFindings;
        this.deadline = deadline;
        this.serverless = new ServerlessChecks(catalog, today);
        this.dockerfiles = new DockerfileChecks(catalog, trusted);
        this.kubernetes = new KubernetesChecks(catalog, trusted);
        this.compose = new ComposeChecks(catalog, trusted);
        this.maxFileBytes = maxFileBytes;
    }

    /** What the checks found and what could not be read. */
    public record Result(List<Misconfiguration> misconfigurations, List<Problem> problems) {
        public Result {
            misconfigurations = List.copyOf(misconfigurations);
            problems = List.copyOf(problems);
        }
    }

    public static boolean isDockerfile(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("dockerfile")
                || n.equals("containerfile")
                || n.endsWith(".dockerfile")
                || n.startsWith("dockerfile.");
    }

    /**
     * The configuration files of a tree, found by name (Dockerfile*, *.yaml, *.yml, *.json) outside
     * dependency and VCS directories, and checked as what their content shows them to be.
     */
    public Result scan(FileTree tree) {
        BoundedFindings found = new BoundedFindings(maxFindings);
        List<Problem> problems = new ArrayList<>();
        int notChecked = 0;
        for (FileEntry entry : tree.entries()) {
            if (!entry.isRegularFile() || inSkippedDirectory(entry.path())) {
                continue;
            }
            String lower = entry.name().toLowerCase(Locale.ROOT);
            boolean dockerfile = isDockerfile(entry.name());
            if (!dockerfile && !lower.endsWith(".yaml") && !lower.endsWith(".yml") && !lower.endsWith(".json")) {
                continue;
            }
            if (deadline.expired()) {
                notChecked++;
                continue;
            }
            check(tree, entry, false, found, problems);
        }
        if (notChecked > 0) {
            problems.add(new Problem(
                    "(configuration checks)",
                    null,
                    notChecked + " configuration files not checked: the scan reached its timeout (--timeout)"));
        }
        return sorted(found, problems);
    }

    /**
     * Files the user named: recognised by their content whatever their name, and reported as a
     * problem when they are none of the kinds Palisade checks (never taken as clean).
     */
    public Result scanNamed(FileTree tree, List<FileEntry> files) {
        BoundedFindings found = new BoundedFindings(maxFindings);
        List<Problem> problems = new ArrayList<>();
        for (FileEntry entry : files) {
            check(tree, entry, true, found, problems);
        }
        return sorted(found, problems);
    }

    private static Result sorted(BoundedFindings bounded, List<Problem> problems) {
        List<Misconfiguration> found = bounded.kept();
        if (bounded.dropped() > 0) {
            problems.add(new Problem(
                    "(configuration checks)",
                    null,
                    bounded.dropped() + " more findings not kept: at most " + bounded.max()
                            + " per scan, the most severe first"));
        }
        found.sort(Comparator.comparing(Misconfiguration::path)
                .thenComparingInt(Misconfiguration::line)
                .thenComparing(m -> m.check().id())
                .thenComparing(Misconfiguration::keyPath));
        return new Result(found, problems);
    }

    private static boolean inSkippedDirectory(String path) {
        String[] parts = path.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (SKIPPED.contains(parts[i])) {
                return true;
            }
        }
        return false;
    }

    /** The kind a configuration file is. */
    enum Kind {
        DOCKERFILE,
        KUBERNETES,
        COMPOSE,
        CLOUDFORMATION,
        SERVERLESS,
        NONE
    }

    private void check(FileTree tree, FileEntry entry, boolean named, BoundedFindings found, List<Problem> problems) {
        String path = entry.path();

        String lower = entry.name().toLowerCase(Locale.ROOT);
        byte[] bytes;
        try (InputStream in = tree.open(entry)) {
            bytes = LimitedInputStream.readAll(in, maxFileBytes, path + " (limit maxFileBytes)");
        } catch (IOException e) {
            problems.add(new Problem(path, null, "cannot be read: " + e.getMessage()));
            return;
        }
        boolean dockerfileName = isDockerfile(entry.name());
        if (dockerfileName || named && looksLikeDockerfile(bytes)) {
            DockerfileChecks.Evaluation evaluation =
                    dockerfiles.evaluateWithProblems(path, new String(bytes, StandardCharsets.UTF_8));
            found.addAll(evaluation.misconfigurations());
            problems.addAll(evaluation.problems());
            return;
        }
        boolean json = lower.endsWith(".json") || named && firstNonBlank(bytes) == '{';
        List<JsonNode> documents;
        try {
            documents = json ? List.of(StructuredText.json(bytes)) : StructuredText.yamlDocuments(bytes);
        } catch (IOException | RuntimeException e) {
            if (named || !lower.endsWith(".json")) {
                problems.add(new Problem(path, null, "not read: " + e.getMessage()));
            }
            return;
        }
        Kind kind = kindOf(entry.name(), documents, named);
        List<SeccompReference> seccomp = new ArrayList<>();
        List<Misconfiguration> inFile =
                switch (kind) {
                    case CLOUDFORMATION -> serverless.evaluate(path, documents.get(0), false);
                    case SERVERLESS -> serverless.evaluate(path, documents.get(0), true);
                    case KUBERNETES -> kubernetes.evaluate(path, documents, seccomp);
                    case COMPOSE -> compose.evaluate(path, documents.get(0), seccomp);
                    case DOCKERFILE, NONE -> List.of();
                };
        if (learned != null && !seccomp.isEmpty()) {
            inFile = new ArrayList<>(inFile);
            learned.evaluate(tree, seccomp, inFile, problems);
        }
        if (kind == Kind.NONE && named) {
            problems.add(new Problem(
                    path,
                    null,
                    "not recognised: not a Dockerfile, Kubernetes manifest, compose file, "
                            + "SAM/CloudFormation template or serverless.yml, so nothing was checked"));
        }
        if (!inFile.isEmpty()) {
            // A file with more findings than a scan keeps is a crafted one: its line map would cost more
            // memory than its findings, so they are kept without lines.
            found.addAll(inFile.size() > maxFindings ? inFile : withLines(inFile, keyLines(bytes, json)));
        }
    }

    /**
     * What a parsed file is. By name and content when found in a directory (as Trivy does, so that
     * arbitrary YAML is not mistaken for compose); by content alone when the user named the file.
     */
    static Kind kindOf(String fileName, List<JsonNode> documents, boolean named) {
        if (documents.size() == 1 && ServerlessChecks.isCloudFormation(documents.get(0))) {
            return Kind.CLOUDFORMATION;
        }
        if (documents.size() == 1
                && (ServerlessChecks.isServerlessFramework(fileName, documents.get(0))
                        || named && isServerlessContent(documents.get(0)))) {
            return Kind.SERVERLESS;
        }
        if (documents.stream().anyMatch(KubernetesChecks::isKubernetes)) {
            return Kind.KUBERNETES;
        }
        if (documents.size() == 1
                && (ComposeChecks.isCompose(fileName, documents.get(0))
                        || named && isComposeContent(documents.get(0)))) {
            return Kind.COMPOSE;
        }
        return Kind.NONE;
    }

    /** serverless.yml's shape: a service and a provider with a name ({@code provider: {name: aws}}). */
    static boolean isServerlessContent(JsonNode document) {
        return document.isObject()
                && document.hasNonNull("service")
                && document.path("provider").path("name").isTextual();
    }

    /** A compose file's shape: a {@code services} map whose services have an image or a build. */
    static boolean isComposeContent(JsonNode document) {
        JsonNode services = document.path("services");
        if (!document.isObject() || !services.isObject() || services.isEmpty()) {
            return false;
        }
        for (JsonNode service : services) {
            if (!service.isObject() || !(service.has("image") || service.has("build"))) {
                return false;
            }
        }
        return true;
    }

    /** A Dockerfile starts, after comments, parser directives and blank lines, with FROM or ARG. */
    static boolean looksLikeDockerfile(byte[] bytes) {
        String text = new String(bytes, 0, Math.min(bytes.length, 64 * 1024), StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String word = l.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
            return word.equals("FROM") || word.equals("ARG");
        }
        return false;
    }

    private static int firstNonBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (!Character.isWhitespace(b)) {
                return b;
            }
        }
        return -1;
    }

    /** Lines are a convenience: findings are kept, without lines, if the second parse fails. */
    private static Map<String, Integer> keyLines(byte[] bytes, boolean json) {
        try {
            return StructuredText.keyLines(bytes, json);
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /**
     * The findings with the line of their key path, or of its nearest parent that the file has
     * (a missing {@code securityContext.runAsNonRoot} points at the container's {@code securityContext}, or the container).
     */
    static List<Misconfiguration> withLines(List<Misconfiguration> found, Map<String, Integer> lines) {
        List<Misconfiguration> located = new ArrayList<>();
        for (Misconfiguration m : found) {
            String path = m.keyPath();
            Integer line = null;
            while (line == null && !path.isEmpty()) {
                line = lines.get(path);
                int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
                path = cut <= 0 ? "" : path.substring(0, cut);
            }
            located.add(
                    line == null || m.line() > 0
                            ? m
                            : new Misconfiguration(m.check(), m.path(), line, m.keyPath(), m.layer(), m.message()));
        }
        return located;
    }
}
