package dev.palisade.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.Problem;
import dev.palisade.source.StructuredText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds configuration files under a path (Dockerfiles, Kubernetes manifests, docker-compose files,
 * SAM/CloudFormation templates, serverless.yml) and runs their checks.
 * Links are not followed; files over the size limit are reported, not read.
 */
public final class ConfigScanner {
    private static final Set<String> SKIPPED = Set.of(".git", "node_modules", "vendor", "target", ".terraform");

    private final DockerfileChecks dockerfiles;
    private final KubernetesChecks kubernetes;
    private final ComposeChecks compose;
    private final ServerlessChecks serverless;
    private final long maxFileBytes;

    /** @param today the date deprecated runtimes are judged against */
    public ConfigScanner(CheckCatalog catalog, long maxFileBytes, java.time.LocalDate today) {
        this(catalog, maxFileBytes, today, TrustedSources.NONE);
    }

    /** @param trusted the registries images may come from, checked wherever a file names an image */
    public ConfigScanner(CheckCatalog catalog, long maxFileBytes, java.time.LocalDate today, TrustedSources trusted) {
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
        return n.equals("dockerfile") || n.equals("containerfile") || n.endsWith(".dockerfile") || n.startsWith("dockerfile.");
    }

    public Result scan(Path root) throws IOException {
        List<Misconfiguration> found = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Path base = (Files.isDirectory(root) ? root : root.toAbsolutePath().getParent());
        Path absoluteBase = base == null ? null : base.toAbsolutePath().normalize();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(root) && SKIPPED.contains(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (!attrs.isRegularFile()) {
                    return FileVisitResult.CONTINUE;
                }
                String name = file.getFileName().toString();
                String lower = name.toLowerCase(Locale.ROOT);
                boolean dockerfile = isDockerfile(name);
                boolean manifest = lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json");
                if (!dockerfile && !manifest) {
                    return FileVisitResult.CONTINUE;
                }
                String relative = absoluteBase == null ? file.toString()
                        : absoluteBase.relativize(file.toAbsolutePath().normalize()).toString();
                if (relative.isEmpty()) {
                    relative = name;
                }
                try {
                    byte[] bytes = read(file);
                    if (dockerfile) {
                        found.addAll(dockerfiles.evaluate(relative, new String(bytes, StandardCharsets.UTF_8)));
                    } else {
                        List<JsonNode> documents = lower.endsWith(".json") ? List.of(StructuredText.json(bytes)) : StructuredText.yamlDocuments(bytes);
                        List<Misconfiguration> inFile = new ArrayList<>();
                        if (documents.size() == 1 && ServerlessChecks.isCloudFormation(documents.get(0))) {
                            inFile.addAll(serverless.evaluate(relative, documents.get(0), false));
                        } else if (documents.size() == 1 && ServerlessChecks.isServerlessFramework(name, documents.get(0))) {
                            inFile.addAll(serverless.evaluate(relative, documents.get(0), true));
                        } else if (documents.stream().anyMatch(KubernetesChecks::isKubernetes)) {
                            inFile.addAll(kubernetes.evaluate(relative, documents));
                        } else if (documents.size() == 1 && ComposeChecks.isCompose(name, documents.get(0))) {
                            inFile.addAll(compose.evaluate(relative, documents.get(0)));
                        }
                        found.addAll(inFile.isEmpty() ? inFile : withLines(inFile, keyLines(bytes, lower.endsWith(".json"))));
                    }
                } catch (IOException | RuntimeException e) {
                    if (dockerfile || lower.endsWith(".yaml") || lower.endsWith(".yml")) {
                        problems.add(new Problem(relative, null, "not read: " + e.getMessage()));
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                problems.add(new Problem(file.toString(), null, "cannot be read: " + e.getMessage()));
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort(Comparator.comparing(Misconfiguration::path).thenComparingInt(Misconfiguration::line)
                .thenComparing(m -> m.check().id()).thenComparing(Misconfiguration::keyPath));
        return new Result(found, problems);
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
            located.add(line == null || m.line() > 0 ? m
                    : new Misconfiguration(m.check(), m.path(), line, m.keyPath(), m.layer(), m.message()));
        }
        return located;
    }

    private byte[] read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return LimitedInputStream.readAll(in, maxFileBytes, file + " (limit maxFileBytes)");
        }
    }
}
