package dev.palisade.catalog.maven;

import dev.palisade.catalog.Purls;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.Package;
import dev.palisade.source.Deadline;
import dev.palisade.source.Problem;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.maven.model.Model;
import org.apache.maven.model.building.ModelBuilder;
import org.apache.maven.model.building.ModelBuildingException;
import org.apache.maven.model.building.ModelProblem;
import org.apache.maven.model.io.ModelReader;
import org.eclipse.aether.AbstractRepositoryListener;
import org.eclipse.aether.ConfigurationProperties;
import org.eclipse.aether.RepositoryEvent;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.collection.CollectResult;
import org.eclipse.aether.collection.DependencyCollectionContext;
import org.eclipse.aether.collection.DependencyCollectionException;
import org.eclipse.aether.collection.DependencySelector;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.DependencyNode;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.repository.WorkspaceReader;
import org.eclipse.aether.repository.WorkspaceRepository;
import org.eclipse.aether.resolution.ArtifactDescriptorException;
import org.eclipse.aether.resolution.ArtifactDescriptorPolicy;
import org.eclipse.aether.resolution.ArtifactDescriptorRequest;
import org.eclipse.aether.resolution.ArtifactDescriptorResult;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.util.graph.selector.AndDependencySelector;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;
import org.jspecify.annotations.Nullable;

/**
 * The dependency tree of a Maven project directory, as Maven would resolve it: the root {@code pom.xml} and
 * its modules are built into effective models (parents from the directory and from repositories, properties,
 * dependency management with imported BOMs, profiles active by default) and their dependencies collected
 * transitively, with scopes, exclusions, optional dependencies and nearest-wins conflict resolution. Only
 * POMs are read: no artifact is downloaded beyond them, and no plugin or build code runs.
 *
 * <p>Each package keeps its scope, whether it is a direct dependency, its path from the project
 * ({@code dependencyPath}) and the purls of its own dependencies ({@code dependsOn}), in its metadata.
 * What could not be resolved (a POM missing offline, a parent that cannot be found) is reported as a
 * problem on the module's {@code pom.xml}.
 */
public final class MavenProjectResolver {
    /** The {@code foundBy} of the packages this resolver reports. */
    public static final String NAME = "maven-resolver";

    static final int MAX_MODULES = 1000;
    static final int MAX_DEPTH = 64;
    static final int MAX_PACKAGES = 50_000;
    static final String TIME_RAN_OUT = "the scan's timeout (--timeout) ran out while resolving the Maven project";

    private final MavenSettings settings;
    private final long maxPomBytes;
    private final Deadline deadline;

    /** @param maxPomBytes the largest POM read, the project's or a repository's */
    public MavenProjectResolver(MavenSettings settings, long maxPomBytes) {
        this(settings, maxPomBytes, Deadline.none());
    }

    /**
     * @param deadline the scan's: no repository request outlasts it, and once it has passed nothing more
     *     is asked; what was not resolved by then is reported as a problem
     */
    public MavenProjectResolver(MavenSettings settings, long maxPomBytes, Deadline deadline) {
        this.settings = settings;
        this.maxPomBytes = maxPomBytes;
        this.deadline = deadline;
    }

    public record Result(List<Package> packages, List<Problem> problems) {
        public Result {
            packages = List.copyOf(packages);
            problems = List.copyOf(problems);
        }
    }

    /** A project module: its POM inside the directory and its own coordinates. */
    record Module(String pomPath, Path pom, String groupId, String artifactId, String version) {
        String key() {
            return groupId + ":" + artifactId;
        }

        String coordinates() {
            return groupId + ":" + artifactId + ":" + version;
        }
    }

    /** True when {@code directory} holds a {@code pom.xml} at its top. */
    public static boolean isMavenProject(Path directory) {
        return Files.isRegularFile(directory.resolve("pom.xml"), LinkOption.NOFOLLOW_LINKS);
    }

    /** Resolves the project at the top of {@code directory} and its modules; nothing for a directory without a POM. */
    public Result resolve(Path directory) {
        if (!isMavenProject(directory)) {
            return new Result(List.of(), List.of());
        }
        List<Problem> problems = new ArrayList<>();
        GuardedModelReader reader = new GuardedModelReader(maxPomBytes);
        Map<String, Module> modules = modules(directory, reader, problems);
        List<Package> packages = new ArrayList<>();
        RepositorySystemSupplier supplier = new RepositorySystemSupplier() {
            @Override
            protected ModelBuilder createModelBuilder() {
                return reader.factory().newInstance();
            }
        };
        try (RepositorySystem system = supplier.get()) {
            int resolved = 0;
            for (Module module : modules.values()) {
                if (packages.size() >= MAX_PACKAGES) {
                    break;
                }
                if (deadline.expired()) {
                    problems.add(new Problem(
                            "pom.xml",
                            null,
                            TIME_RAN_OUT + ": " + (modules.size() - resolved) + " of " + modules.size()
                                    + " modules were not resolved"));
                    break;
                }
                resolved++;
                collect(system, module, new ProjectWorkspace(modules), packages, problems);
            }
        }
        return new Result(packages, problems);
    }

    /** The root POM and the modules it names, recursively, all inside {@code directory}. */
    private static Map<String, Module> modules(Path directory, ModelReader reader, List<Problem> problems) {
        Map<String, Module> modules = new LinkedHashMap<>();
        Path root;
        try {
            root = directory.toRealPath();
        } catch (IOException e) {
            problems.add(new Problem("pom.xml", null, "cannot be read: " + e.getMessage()));
            return modules;
        }
        Deque<Path> pending = new ArrayDeque<>(List.of(root.resolve("pom.xml")));
        Set<Path> seen = new LinkedHashSet<>();
        while (!pending.isEmpty() && modules.size() < MAX_MODULES) {
            Path pom = pending.removeFirst();
            String pomPath = root.relativize(pom).toString().replace(File.separatorChar, '/');
            Path real;
            try {
                real = pom.toRealPath();
            } catch (IOException e) {
                problems.add(new Problem(pomPath, null, "a module's POM cannot be read: " + e.getMessage()));
                continue;
            }
            if (!real.startsWith(root)) {
                problems.add(new Problem(pomPath, null, "a module outside the project directory is not read"));
                continue;
            }
            if (!seen.add(real)) {
                continue;
            }
            Model model;
            try {
                model = reader.read(real.toFile(), Map.of(ModelReader.IS_STRICT, Boolean.FALSE));
            } catch (IOException | RuntimeException e) {
                problems.add(new Problem(pomPath, null, "cannot be read as a POM: " + e.getMessage()));
                continue;
            }
            String groupId = model.getGroupId() != null
                    ? model.getGroupId()
                    : model.getParent() == null ? null : model.getParent().getGroupId();
            String version = model.getVersion() != null
                    ? model.getVersion()
                    : model.getParent() == null ? null : model.getParent().getVersion();
            if (groupId == null || version == null || model.getArtifactId() == null) {
                problems.add(new Problem(pomPath, null, "names no groupId, artifactId and version: not resolved"));
                continue;
            }
            Module module = new Module(
                    pomPath,
                    real,
                    interpolate(groupId, model),
                    interpolate(model.getArtifactId(), model),
                    interpolate(version, model));
            modules.putIfAbsent(module.key(), module);
            for (String name : model.getModules()) {
                Path next = real.resolveSibling(name).normalize();
                pending.add(Files.isDirectory(next) ? next.resolve("pom.xml") : next);
            }
        }
        if (!pending.isEmpty()) {
            problems.add(new Problem(
                    "pom.xml", null, "more than " + MAX_MODULES + " modules: only the first " + MAX_MODULES + " read"));
        }
        return modules;
    }

    /** The CI-friendly versions ({@code ${revision}}) of a module's own coordinates, from its properties. */
    private static String interpolate(String value, Model model) {
        String result = value;
        for (int i = 0; i < 5 && result.contains("${"); i++) {
            int start = result.indexOf("${");
            int end = result.indexOf('}', start);
            if (end < 0) {
                break;
            }
            String name = result.substring(start + 2, end);
            String replacement = model.getProperties().getProperty(name);
            if (replacement == null) {
                break;
            }
            result = result.substring(0, start) + replacement + result.substring(end + 1);
        }
        return result;
    }

    private void collect(
            RepositorySystem system,
            Module module,
            ProjectWorkspace workspace,
            List<Package> packages,
            List<Problem> problems) {
        Set<String> reasons = new LinkedHashSet<>();
        DescriptorProblems listener = new DescriptorProblems(reasons, settings.offline(), workspace.modules());
        SessionBuilderSupplier sessions = new SessionBuilderSupplier(system);
        boolean[] cut = new boolean[1];
        RepositorySystemSession.SessionBuilder builder = sessions.get()
                .withLocalRepositoryBaseDirectories(settings.localRepository())
                .setOffline(settings.offline())
                .setWorkspaceReader(workspace)
                .setRepositoryListener(listener)
                // repositories named by dependencies' POMs are not followed: a hostile POM must not choose the
                // servers the scanner talks to (the project's own repositories are added below)
                .setIgnoreArtifactDescriptorRepositories(true)
                // strict for the project's own modules, lenient (and reported by the listener) for dependencies
                .setArtifactDescriptorPolicy(
                        (session, request) -> workspace.modules().containsKey(key(request.getArtifact()))
                                ? ArtifactDescriptorPolicy.STRICT
                                : ArtifactDescriptorPolicy.IGNORE_ERRORS)
                .setDependencySelector(new AndDependencySelector(
                        sessions.getDependencySelector(),
                        new DepthLimit(MAX_DEPTH, () -> cut[0] = true),
                        new TimeLimit(deadline)))
                .setMirrorSelector(mirrors())
                .setSystemProperty("java.version", Runtime.version().toString())
                .setConfigProperty(ConfigurationProperties.CONNECT_TIMEOUT, timeoutMillis(10_000))
                .setConfigProperty(ConfigurationProperties.REQUEST_TIMEOUT, timeoutMillis(60_000));
        CollectResult result;
        try (RepositorySystemSession.CloseableSession session = builder.build()) {
            // as Maven resolves a project: the root's own dependencies and management, not the root as a dependency
            Artifact root = new DefaultArtifact(module.groupId(), module.artifactId(), "pom", module.version());
            ArtifactDescriptorResult descriptor;
            try {
                descriptor = system.readArtifactDescriptor(
                        session,
                        new ArtifactDescriptorRequest(
                                root, system.newResolutionRepositories(session, remoteRepositories()), "project"));
            } catch (ArtifactDescriptorException e) {
                reasons.add(projectUnbuilt(e));
                problems.addAll(reasons.stream()
                        .map(reason -> new Problem(module.pomPath(), null, reason))
                        .toList());
                return;
            }
            if (!descriptor.getExceptions().isEmpty()) {
                reasons.add(projectUnbuilt(descriptor.getExceptions().get(0)));
                reasons.forEach(reason -> problems.add(new Problem(module.pomPath(), null, reason)));
                return;
            }
            List<RemoteRepository> repositories = new ArrayList<>(remoteRepositories());
            for (RemoteRepository declared : descriptor.getRepositories()) {
                String url = declared.getUrl().toLowerCase(java.util.Locale.ROOT);
                if (url.startsWith("https://") || url.startsWith("file:")) {
                    repositories.add(declared);
                } else {
                    reasons.add("repository '" + declared.getId() + "' not used: only https (or file) repositories are"
                            + " read, a plain http download can be tampered with");
                }
            }
            CollectRequest request = new CollectRequest()
                    .setRootArtifact(descriptor.getArtifact())
                    .setDependencies(descriptor.getDependencies())
                    .setManagedDependencies(descriptor.getManagedDependencies())
                    .setRepositories(system.newResolutionRepositories(session, repositories));
            try {
                result = system.collectDependencies(session, request);
            } catch (DependencyCollectionException e) {
                result = e.getResult();
            }
        }
        for (Exception e : result.getExceptions()) {
            reasons.add(describe(e));
        }
        if (cut[0]) {
            reasons.add("the dependency tree is deeper than " + MAX_DEPTH + " levels: what lies below is not listed");
        }
        if (deadline.expired()) {
            reasons.add(TIME_RAN_OUT + ": the dependencies not read by then are not listed");
        }
        if (result.getRoot() != null) {
            walk(module, result.getRoot(), packages, reasons);
        }
        reasons.forEach(reason -> problems.add(new Problem(module.pomPath(), null, reason)));
    }

    private static String projectUnbuilt(Exception e) {
        return "the project's model cannot be built (" + describe(e) + "): its dependencies are not listed";
    }

    private DefaultMirrorSelector mirrors() {
        DefaultMirrorSelector selector = new DefaultMirrorSelector();
        for (MavenSettings.Mirror m : settings.mirrors()) {
            selector.add(m.id(), m.url(), "default", false, false, m.mirrorOf(), "*");
        }
        return selector;
    }

    private List<RemoteRepository> remoteRepositories() {
        RepositoryPolicy policy =
                new RepositoryPolicy(true, RepositoryPolicy.UPDATE_POLICY_DAILY, RepositoryPolicy.CHECKSUM_POLICY_FAIL);
        List<RemoteRepository> out = new ArrayList<>();
        for (MavenSettings.Repository r : settings.repositories()) {
            out.add(new RemoteRepository.Builder(r.id(), "default", r.url())
                    .setPolicy(policy)
                    .build());
        }
        return out;
    }

    /** Breadth first, so that each package keeps its shortest path from the project. */
    private static void walk(Module module, DependencyNode root, List<Package> packages, Set<String> reasons) {
        record Step(DependencyNode node, List<String> path) {}
        Deque<Step> queue = new ArrayDeque<>();
        Set<String> listed = new java.util.HashSet<>();
        for (DependencyNode child : root.getChildren()) {
            queue.add(new Step(child, List.of(module.coordinates())));
        }
        while (!queue.isEmpty()) {
            Step step = queue.removeFirst();
            DependencyNode node = step.node();
            Artifact artifact = node.getArtifact();
            Dependency dependency = node.getDependency();
            if (artifact == null || dependency == null) {
                continue;
            }
            if (!Purls.isMavenCoordinate(artifact.getGroupId(), artifact.getArtifactId())) {
                // left out itself; what it depends on is still listed, as the Gradle tree does (once: a cycle of
                // such nodes would otherwise be walked for ever)
                if (!listed.add("left out " + coordinates(artifact))) {
                    continue;
                }
                reasons.add(
                        coordinates(artifact) + " makes no Package URL (an empty segment between slashes): left out");
                List<String> through = new ArrayList<>(step.path());
                through.add(coordinates(artifact));
                for (DependencyNode child : node.getChildren()) {
                    queue.add(new Step(child, through));
                }
                continue;
            }
            String purl = purl(artifact);
            if (!listed.add(purl)) {
                continue;
            }
            if (packages.size() >= MAX_PACKAGES) {
                reasons.add("more than " + MAX_PACKAGES + " dependencies: only the first " + MAX_PACKAGES + " listed");
                return;
            }
            List<String> path = new ArrayList<>(step.path());
            path.add(coordinates(artifact));
            Map<String, String> metadata = new TreeMap<>();
            metadata.put("groupId", artifact.getGroupId());
            metadata.put("artifactId", artifact.getArtifactId());
            metadata.put("scope", dependency.getScope().isEmpty() ? "compile" : dependency.getScope());
            metadata.put("direct", Boolean.toString(step.path().size() == 1));
            metadata.put("dependencyPath", String.join(" > ", path));
            if (dependency.isOptional()) {
                metadata.put("optional", "true");
            }
            if (!artifact.getClassifier().isEmpty()) {
                metadata.put("classifier", artifact.getClassifier());
            }
            String type = artifact.getProperty("type", artifact.getExtension());
            if (!"jar".equals(type)) {
                metadata.put("type", type);
            }
            String children = node.getChildren().stream()
                    .filter(c -> c.getArtifact() != null)
                    .filter(c -> Purls.isMavenCoordinate(
                            c.getArtifact().getGroupId(), c.getArtifact().getArtifactId()))
                    .map(c -> purl(c.getArtifact()))
                    .distinct()
                    .collect(Collectors.joining(" "));
            if (!children.isEmpty()) {
                metadata.put("dependsOn", children);
            }
            packages.add(new Package(
                    Ecosystem.MAVEN,
                    artifact.getGroupId() + ":" + artifact.getArtifactId(),
                    artifact.getVersion(),
                    purl,
                    List.of(Location.of(module.pomPath())),
                    null,
                    null,
                    NAME,
                    metadata));
            for (DependencyNode child : node.getChildren()) {
                queue.add(new Step(child, path));
            }
        }
    }

    private static String purl(Artifact artifact) {
        Map<String, String> qualifiers = new HashMap<>();
        if (!artifact.getClassifier().isEmpty()) {
            qualifiers.put("classifier", artifact.getClassifier());
        }
        String type = artifact.getProperty("type", artifact.getExtension());
        if (!"jar".equals(type) && !type.isEmpty()) {
            qualifiers.put("type", type);
        }
        return Purls.of(
                Ecosystem.MAVEN, artifact.getGroupId(), artifact.getArtifactId(), artifact.getVersion(), qualifiers);
    }

    private static String key(Artifact artifact) {
        return artifact.getGroupId() + ":" + artifact.getArtifactId();
    }

    private static String coordinates(Artifact artifact) {
        return artifact.getGroupId() + ":" + artifact.getArtifactId() + ":" + artifact.getVersion();
    }

    /**
     * What went wrong, in Maven's own words: the model builder's errors, else the first message (through
     * causes and suppressed exceptions) that says more than "failed to read/resolve".
     */
    static String describe(Throwable error) {
        Deque<Throwable> pending = new ArrayDeque<>(List.of(error));
        Set<Throwable> visited = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        String fallback = null;
        while (!pending.isEmpty() && visited.size() < 50) {
            Throwable t = pending.removeFirst();
            if (!visited.add(t)) {
                continue;
            }
            if (t instanceof ModelBuildingException building) {
                String problems = building.getProblems().stream()
                        .filter(p -> p.getSeverity() != ModelProblem.Severity.WARNING)
                        .map(ModelProblem::getMessage)
                        .distinct()
                        .collect(Collectors.joining("; "));
                if (!problems.isEmpty()) {
                    return problems;
                }
            }
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                if (fallback == null) {
                    fallback = message;
                }
                if (!message.startsWith("Failed to read artifact descriptor")
                        && !message.startsWith("Failed to resolve artifact")
                        && !message.startsWith("Failed to collect dependencies")) {
                    return message;
                }
            }
            if (t.getCause() != null) {
                pending.add(t.getCause());
            }
            pending.addAll(List.of(t.getSuppressed()));
        }
        return fallback == null ? error.getClass().getSimpleName() : fallback;
    }

    /** The POMs that could not be read while the tree was collected (Maven goes on without their dependencies). */
    private static final class DescriptorProblems extends AbstractRepositoryListener {
        private final Set<String> reasons;
        private final boolean offline;
        private final Map<String, Module> modules;

        DescriptorProblems(Set<String> reasons, boolean offline, Map<String, Module> modules) {
            this.reasons = reasons;
            this.offline = offline;
            this.modules = modules;
        }

        @Override
        public void artifactDescriptorMissing(RepositoryEvent event) {
            Artifact artifact = event.getArtifact();
            if (artifact != null && modules.containsKey(artifact.getGroupId() + ":" + artifact.getArtifactId())) {
                return;
            }
            String coordinates = artifact == null ? "a dependency" : coordinates(artifact);
            reasons.add(coordinates
                    + (offline
                            ? ": its POM is not in the local repository and --offline is set"
                            : ": its POM was found in no repository")
                    + ": its own dependencies are not listed");
        }

        @Override
        public void artifactDescriptorInvalid(RepositoryEvent event) {
            Artifact artifact = event.getArtifact();
            if (artifact == null || modules.containsKey(artifact.getGroupId() + ":" + artifact.getArtifactId())) {
                // the project's own modules are reported where their models are built
                return;
            }
            Exception error = event.getException();
            reasons.add(coordinates(artifact) + ": its POM cannot be used ("
                    + (error == null ? "invalid" : describe(error)) + "): its own dependencies are not listed");
        }
    }

    /** A repository timeout no longer than what is left of the scan's, at least a millisecond. */
    private int timeoutMillis(int usual) {
        java.time.Duration left = deadline.remaining();
        return left.compareTo(java.time.Duration.ofMillis(usual)) >= 0 ? usual : (int) Math.max(1, left.toMillis());
    }

    /** Selects nothing more once the scan's deadline has passed, so that collection winds down. */
    private record TimeLimit(Deadline deadline) implements DependencySelector {
        @Override
        public boolean selectDependency(Dependency dependency) {
            return !deadline.expired();
        }

        @Override
        public DependencySelector deriveChildSelector(DependencyCollectionContext context) {
            return this;
        }
    }

    /** Stops collecting below a depth, and says so once. */
    private record DepthLimit(int remaining, Runnable onCut) implements DependencySelector {
        @Override
        public boolean selectDependency(Dependency dependency) {
            if (remaining > 0) {
                return true;
            }
            onCut.run();
            return false;
        }

        @Override
        public DependencySelector deriveChildSelector(DependencyCollectionContext context) {
            return new DepthLimit(remaining - 1, onCut);
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof DepthLimit d && d.remaining == remaining;
        }

        @Override
        public int hashCode() {
            return Objects.hash(remaining);
        }
    }

    /** The project's own modules, found by their coordinates before any repository is asked. */
    private record ProjectWorkspace(Map<String, Module> modules) implements WorkspaceReader {
        private static final WorkspaceRepository REPOSITORY = new WorkspaceRepository("project");

        @Override
        public WorkspaceRepository getRepository() {
            return REPOSITORY;
        }

        @Override
        public @Nullable File findArtifact(Artifact artifact) {
            Module module = modules.get(artifact.getGroupId() + ":" + artifact.getArtifactId());
            if (module == null
                    || !"pom".equals(artifact.getExtension())
                    || !module.version().equals(artifact.getBaseVersion())) {
                return null;
            }
            return module.pom().toFile();
        }

        @Override
        public List<String> findVersions(Artifact artifact) {
            Module module = modules.get(artifact.getGroupId() + ":" + artifact.getArtifactId());
            return module == null ? List.of() : List.of(module.version());
        }
    }
}
