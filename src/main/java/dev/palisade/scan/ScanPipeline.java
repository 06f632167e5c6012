package dev.palisade.scan;

import dev.palisade.catalog.Cataloger;
import dev.palisade.catalog.Catalogers;
import dev.palisade.catalog.gradle.GradleBuilds;
import dev.palisade.catalog.maven.MavenProjectResolver;
import dev.palisade.catalog.maven.MavenSettings;
import dev.palisade.catalog.sbom.SbomReader;
import dev.palisade.checks.BoundedFindings;
import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.ConfigScanner;
import dev.palisade.checks.HostChecks;
import dev.palisade.checks.ImageConfigChecks;
import dev.palisade.checks.LearnedProfile;
import dev.palisade.checks.Misconfiguration;
import dev.palisade.checks.NetworkServices;
import dev.palisade.checks.SecretScanner;
import dev.palisade.checks.ServerlessChecks;
import dev.palisade.checks.TrustedSources;
import dev.palisade.checks.UnusedServices;
import dev.palisade.checks.iam.AwsServiceModels;
import dev.palisade.checks.iam.FunctionPermissions;
import dev.palisade.engine.EngineException;
import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Package;
import dev.palisade.match.Finding;
import dev.palisade.match.Matcher;
import dev.palisade.match.OsvTarget;
import dev.palisade.policy.ResultPolicy;
import dev.palisade.registry.RegistryBlobReader;
import dev.palisade.registry.RegistryClient;
import dev.palisade.report.ScanReport;
import dev.palisade.source.Artifact;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.ContentTree;
import dev.palisade.source.Deadline;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.EntryPaths;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileTree;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.Problem;
import dev.palisade.source.ReadFailures;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import dev.palisade.source.StructuredText;
import dev.palisade.source.archive.ZipArtifact;
import dev.palisade.source.directory.DirectoryArtifact;
import dev.palisade.source.directory.DiskFiles;
import dev.palisade.source.directory.SingleFileArtifact;
import dev.palisade.source.host.ListeningSockets;
import dev.palisade.source.image.ImageReference;
import dev.palisade.source.image.ImageSources;
import dev.palisade.source.remote.RemoteRootArtifact;
import dev.palisade.source.remote.SshHost;
import dev.palisade.vulndb.VulnerabilityStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The one scan pipeline under every entry point: a {@link ScanRequest} in, a {@link ScanResult} out
 * (source, catalog, match, checks), then the report model and the exit code under the request's
 * policy. It does no I/O of its own beyond what the target names; the entry point supplies the
 * database, the registries, the layer cache and the clock.
 */
public final class ScanPipeline {
    private final Clock clock;
    private final Consumer<String> progress;
    private final @Nullable LayerCache layerCache;
    private final CheckCatalog catalog;
    private final VulnerabilityDatabase database;
    private final RegistryAccess registries;
    private final EngineAccess engines;
    private final String toolVersion;

    /**
     * @param layerCache where image layer analyses are kept between scans, or null for none
     * @param database opened only when a request asks for vulnerabilities
     */
    public ScanPipeline(
            Clock clock,
            Consumer<String> progress,
            @Nullable LayerCache layerCache,
            CheckCatalog catalog,
            VulnerabilityDatabase database,
            RegistryAccess registries,
            String toolVersion) {
        this(clock, progress, layerCache, catalog, database, registries, EngineAccess.none(), toolVersion);
    }

    /** @param engines the local container engines an image named by reference may be exported from */
    public ScanPipeline(
            Clock clock,
            Consumer<String> progress,
            @Nullable LayerCache layerCache,
            CheckCatalog catalog,
            VulnerabilityDatabase database,
            RegistryAccess registries,
            EngineAccess engines,
            String toolVersion) {
        this.engines = engines;
        this.clock = clock;
        this.progress = progress;
        this.layerCache = layerCache;
        this.catalog = catalog;
        this.database = database;
        this.registries = registries;
        this.toolVersion = toolVersion;
    }

    /** A report ready for the writers, and the exit code the policy gives it. */
    public record Report(ScanReport model, int exitCode) {}

    /** Scans, then reports under the request's policy. */
    public Report run(ScanRequest request) throws SourceException, IOException {
        return report(scan(request), request.policy());
    }

    /** The report model of a result under a policy: the same for every entry point. */
    public Report report(ScanResult result, ResultPolicy policy) {
        ResultPolicy.Outcome outcome = policy.apply(result.findings(), result.checkFindings());
        List<Problem> problems = new ArrayList<>(result.problems());
        outcome.notices().forEach(notice -> problems.add(new Problem("ignore/VEX", null, notice)));
        ScanReport model = ScanReport.of(
                result.inventory(),
                outcome,
                problems,
                result.database(),
                result.missingData(),
                result.listeningSockets(),
                result.scannedAt(),
                toolVersion);
        return new Report(model, policy.exitCode(outcome, result.cutShort()));
    }

    /** Everything the request asks for, before suppressions and filters. */
    public ScanResult scan(ScanRequest unstarted) throws SourceException, IOException {
        ScanRequest request = unstarted.withLimits(unstarted.limits().started());
        Deadline deadline = request.limits().deadline();
        SecretScanner secrets = request.wants(Scanner.SECRET)
                ? SecretScanner.load(
                        catalog,
                        request.secretRules() == null
                                ? null
                                : request.secretRules().getBytes(StandardCharsets.UTF_8),
                        SecretScanner.DEFAULT_MAX_BYTES)
                : null;
        // opened (and updated) before the artifact is read, so that a missing database fails at once
        VulnerabilityStore store = request.wants(Scanner.VULN) && !(request.target() instanceof ScanTarget.ConfigFiles)
                ? database.store()
                : null;
        Gathered gathered = gather(request, secrets);
        List<Problem> problems = new ArrayList<>(gathered.problems());
        List<Finding> findings = null;
        ScanReport.DatabaseInfo databaseInfo = null;
        List<String> missingData = List.of();
        if (store != null) {
            progress.accept("matching " + gathered.inventory().packages().size() + " packages against the advisories");
            Matcher.Result matched = new Matcher(store).match(gathered.inventory(), deadline);
            findings = matched.findings();
            problems.addAll(matched.problems());
            databaseInfo = database.describe();
            missingData = missingData(gathered.inventory(), store);
            for (String ecosystem : missingData) {
                problems.add(new Problem(
                        gathered.inventory().artifact().name(),
                        null,
                        "no advisory data for " + ecosystem
                                + " in the vulnerability database: its packages were not checked for vulnerabilities"));
            }
        }
        boolean cutShort = deadline.expired();
        if (cutShort) {
            problems.add(new Problem(
                    gathered.inventory().artifact().name(),
                    null,
                    "the scan was cut short by its timeout of "
                            + request.limits().timeout().toSeconds()
                            + "s (--timeout): the report holds only what was read before"));
        }
        return new ScanResult(
                gathered.inventory(),
                findings,
                request.wants(Scanner.MISCONFIG) ? gathered.misconfigurations() : null,
                secrets == null ? null : gathered.secrets(),
                problems,
                databaseInfo,
                missingData,
                gathered.sockets(),
                clock.instant(),
                cutShort,
                List.copyOf(gathered.applicableChecks()));
    }

    /** What the target yields before matching. */
    private record Gathered(
            Inventory inventory,
            List<Misconfiguration> misconfigurations,
            List<Misconfiguration> secrets,
            List<Problem> problems,
            List<ListeningSockets.Socket> sockets,
            Set<String> applicableChecks) {
        Gathered(
                Inventory inventory,
                List<Misconfiguration> misconfigurations,
                List<Misconfiguration> secrets,
                List<Problem> problems,
                List<ListeningSockets.Socket> sockets) {
            this(inventory, misconfigurations, secrets, problems, sockets, Set.of());
        }
    }

    private Gathered gather(ScanRequest request, @Nullable SecretScanner secrets) throws SourceException, IOException {
        ScanLimits limits = request.limits();
        boolean checks = request.wants(Scanner.MISCONFIG);
        ScanTarget target = request.target();
        if (target instanceof ScanTarget.ImageArchive image) {
            try (Artifact artifact = new ImageSources(limits, image.platform()).open(image.path())) {
                return imageChecks(inventory(request, artifact, secrets), checks, List.of());
            }
        } else if (target instanceof ScanTarget.RegistryImage image) {
            RegistryClient client = registries.client(image.reference());
            List<Misconfiguration> policy =
                    checks ? referenceChecks(image.name(), request.trustedSources()) : List.of();
            try (Artifact artifact = new ImageSources(limits, image.platform())
                    .openLayout(image.name(), new RegistryBlobReader(client, limits.maxMetadataBytes()))) {
                return imageChecks(inventory(request, artifact, secrets), checks, policy);
            }
        } else if (target instanceof ScanTarget.NamedImage image) {
            return namedImage(request, image, secrets, checks);
        } else if (target instanceof ScanTarget.RootFilesystem rootfs) {
            try (Artifact artifact = openRoot(rootfs.root(), rootfs.skipDirectories(), limits)) {
                return hostChecks(
                        request, inventory(request, artifact, secrets), artifact, checks, List.of(), List.of());
            }
        } else if (target instanceof ScanTarget.LiveHost host) {
            ListeningSockets.Result sockets =
                    ListeningSockets.read(DiskFiles.of(host.proc()), host.proc().toString());
            try (Artifact artifact = openRoot(host.root(), host.skipDirectories(), limits)) {
                return hostChecks(
                        request,
                        inventory(request, artifact, secrets),
                        artifact,
                        checks,
                        sockets.sockets(),
                        sockets.problems());
            }
        } else if (target instanceof ScanTarget.RemoteHost remote) {
            try (SshHost host = SshHost.connect(remote.destination(), remote.settings())) {
                ListeningSockets.Result sockets = ListeningSockets.read(host.files("/proc"), remote.name() + ":/proc");
                try (RemoteRootArtifact artifact = host.rootArtifact(skips(remote.skipDirectories(), true), limits)) {
                    return hostChecks(
                            request,
                            inventory(request, artifact, secrets),
                            artifact,
                            checks,
                            sockets.sockets(),
                            sockets.problems());
                }
            }
        } else if (target instanceof ScanTarget.Directory directory) {
            try (Artifact artifact = DirectoryArtifact.open(
                    directory.path(), ArtifactKind.DIRECTORY, DeploymentModel.UNSPECIFIED, Set.of(".git"), limits)) {
                InventoryScanner.Scanned scanned = inventory(request, artifact, secrets);
                if (directory.maven() != null && MavenProjectResolver.isMavenProject(directory.path())) {
                    scanned = withMavenProject(scanned, directory.path(), directory.maven(), request.limits());
                }
                scanned = withProblems(
                        scanned,
                        GradleBuilds.unresolved(
                                        scanned.tree().entries(),
                                        scanned.inventory().packages())
                                .stream()
                                .toList());
                return configChecks(
                        scanned,
                        checks ? configScanner(request).scan(new ContentTree(scanned.tree(), artifact)) : null);
            }
        } else if (target instanceof ScanTarget.FunctionPackage function) {
            return function(request, function, secrets);
        } else if (target instanceof ScanTarget.Sbom sbom) {
            return sbom(sbom.path(), limits);
        } else if (target instanceof ScanTarget.SbomDocument document) {
            return sbom(document.name(), document.json(), limits);
        } else if (target instanceof ScanTarget.ConfigFiles config) {
            return config(request, config.path());
        }
        throw new IllegalStateException("unknown target " + target);
    }

    /**
     * Trivy's order of image sources: each is asked in turn; an engine that is not running or lacks the
     * image, or a registry that cannot give it, passes to the next. Once an image is found it is scanned,
     * and a failure from then on is the scan's.
     */
    private Gathered namedImage(
            ScanRequest request, ScanTarget.NamedImage image, @Nullable SecretScanner secrets, boolean checks)
            throws SourceException, IOException {
        ScanLimits limits = request.limits();
        List<String> failures = new ArrayList<>();
        List<Misconfiguration> policy = checks ? referenceChecks(image.name(), request.trustedSources()) : List.of();
        for (ImageSource source : image.sources()) {
            if (source == ImageSource.REMOTE) {
                Optional<ImageReference> reference = ImageReference.parse(image.image());
                if (reference.isEmpty()) {
                    failures.add("remote: not an image reference (HOST[:PORT]/NAME[:TAG|@DIGEST])");
                    continue;
                }
                RegistryClient client;
                Artifact artifact;
                try {
                    client = registries.client(reference.get());
                    artifact = new ImageSources(limits, image.platform())
                            .openLayout(
                                    reference.get().toString(),
                                    new RegistryBlobReader(client, limits.maxMetadataBytes()));
                } catch (IOException | SourceException e) {
                    failures.add("remote: " + e.getMessage());
                    continue;
                }
                try (artifact) {
                    return imageChecks(inventory(request, artifact, secrets), checks, policy);
                }
            }
            Path exported;
            try {
                progress.accept("exporting " + image.image() + " from " + source);
                exported = engines.export(
                        source, ImageSource.engineName(image.image()), limits.maxTotalBytes(), limits.deadline());
            } catch (EngineException e) {
                failures.add(source + ": " + e.getMessage());
                continue;
            }
            try (Artifact artifact = new ImageSources(limits, image.platform()).openArchive(image.image(), exported)) {
                return imageChecks(inventory(request, artifact, secrets), checks, policy);
            } finally {
                Files.deleteIfExists(exported);
            }
        }
        if (failures.size() == 1) {
            throw new SourceException(image.image() + ": " + failures.get(0));
        }
        throw new SourceException(
                image.image() + ": not found in any image source (" + String.join("; ", failures) + ")");
    }

    private InventoryScanner.Scanned inventory(ScanRequest request, Artifact artifact, @Nullable SecretScanner secrets)
            throws SourceException {
        return inventory(
                request,
                artifact,
                secrets,
                Catalogers.forKind(artifact.description().kind()));
    }

    private InventoryScanner.Scanned inventory(
            ScanRequest request, Artifact artifact, @Nullable SecretScanner secrets, List<Cataloger> catalogers)
            throws SourceException {
        return new InventoryScanner(request.limits(), progress, layerCache, secrets, request.skips())
                .scanWithTree(artifact, catalogers);
    }

    /** The inventory with the dependency tree of the Maven project at the top of the directory, and its problems. */
    private InventoryScanner.Scanned withMavenProject(
            InventoryScanner.Scanned scanned, Path directory, MavenSettings settings, ScanLimits limits) {
        progress.accept("resolving the Maven project" + (settings.offline() ? " (offline)" : ""));
        MavenProjectResolver.Result resolved =
                new MavenProjectResolver(settings, limits.maxMetadataBytes(), limits.deadline()).resolve(directory);
        Inventory before = scanned.inventory();
        List<Package> packages = new ArrayList<>(before.packages());
        packages.addAll(resolved.packages());
        packages.sort(null);
        List<Problem> problems = new ArrayList<>(before.problems());
        problems.addAll(resolved.problems());
        return new InventoryScanner.Scanned(
                new Inventory(before.artifact(), before.os(), packages, problems), scanned.tree(), scanned.secrets());
    }

    private static InventoryScanner.Scanned withProblems(InventoryScanner.Scanned scanned, List<Problem> more) {
        if (more.isEmpty()) {
            return scanned;
        }
        Inventory before = scanned.inventory();
        List<Problem> problems = new ArrayList<>(before.problems());
        problems.addAll(more);
        return new InventoryScanner.Scanned(
                new Inventory(before.artifact(), before.os(), before.packages(), problems),
                scanned.tree(),
                scanned.secrets());
    }

    private Gathered imageChecks(InventoryScanner.Scanned scanned, boolean checks, List<Misconfiguration> policy) {
        List<Misconfiguration> found = new ArrayList<>(policy);
        if (checks) {
            found.addAll(
                    new ImageConfigChecks(catalog).evaluate(scanned.inventory().artifact(), scanned.tree()));
        }
        return new Gathered(scanned.inventory(), found, scanned.secrets(), List.of(), List.of());
    }

    /** The trusted sources policy on the reference an image was pulled by. */
    private List<Misconfiguration> referenceChecks(String reference, TrustedSources trusted) {
        List<Misconfiguration> found = new ArrayList<>();
        for (TrustedSources.Violation v : trusted.violations(reference)) {
            found.add(new Misconfiguration(catalog.get(v.checkId()), reference, 0, "reference", null, v.message()));
        }
        return found;
    }

    private Gathered hostChecks(
            ScanRequest request,
            InventoryScanner.Scanned scanned,
            Artifact artifact,
            boolean checks,
            List<ListeningSockets.Socket> sockets,
            List<Problem> socketProblems) {
        List<Misconfiguration> found = List.of();
        Set<String> applicable = Set.of();
        if (checks) {
            Set<String> installed = new HashSet<>();
            scanned.inventory().packages().stream()
                    .filter(p -> p.ecosystem().isOperatingSystem())
                    .forEach(p -> installed.add(p.name()));
            ContentTree tree = new ContentTree(scanned.tree(), artifact);
            HostChecks.Result result = new HostChecks(catalog).assess(tree, installed);
            found = result.misconfigurations();
            applicable = result.applicable();
            LearnedProfile learned = request.learned();
            if (learned != null) {
                found = new ArrayList<>(found);
                found.addAll(
                        new UnusedServices(catalog, NetworkServices.defaultPorts()).evaluate(tree, sockets, learned));
            }
        }
        return new Gathered(scanned.inventory(), found, scanned.secrets(), socketProblems, sockets, applicable);
    }

    private static Gathered configChecks(InventoryScanner.Scanned scanned, ConfigScanner.@Nullable Result config) {
        return new Gathered(
                scanned.inventory(),
                config == null ? List.of() : config.misconfigurations(),
                scanned.secrets(),
                config == null ? List.of() : config.problems(),
                List.of());
    }

    private Gathered function(ScanRequest request, ScanTarget.FunctionPackage function, @Nullable SecretScanner secrets)
            throws SourceException, IOException {
        boolean checks = request.wants(Scanner.MISCONFIG);
        List<Misconfiguration> found = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        InventoryScanner.Scanned scanned;
        if (Files.isDirectory(function.path())) {
            try (Artifact artifact = DirectoryArtifact.open(
                    function.path(), ArtifactKind.FUNCTION, DeploymentModel.FUNCTION, Set.of(), request.limits())) {
                scanned = inventory(request, artifact, secrets);
                if (checks) {
                    ContentTree tree = new ContentTree(scanned.tree(), artifact);
                    ConfigScanner.Result result = configScanner(request).scan(tree);
                    found.addAll(result.misconfigurations());
                    problems.addAll(result.problems());
                    FunctionPermissions.Analysis learned = permissions(request, tree, function.template());
                    found.addAll(learned.findings());
                    problems.addAll(learned.problems());
                }
            }
        } else {
            try (Artifact artifact = ZipArtifact.open(
                    function.path(), ArtifactKind.FUNCTION, DeploymentModel.FUNCTION, request.limits())) {
                scanned = inventory(request, artifact, secrets);
                if (checks) {
                    FunctionPermissions.Analysis learned =
                            permissions(request, new ContentTree(scanned.tree(), artifact), function.template());
                    found.addAll(learned.findings());
                    problems.addAll(learned.problems());
                }
            }
        }
        if (function.template() != null && checks) {
            ConfigScanner.Result result = namedFile(request, function.template());
            found.addAll(result.misconfigurations());
            problems.addAll(result.problems());
        }
        return new Gathered(scanned.inventory(), found, scanned.secrets(), problems, List.of());
    }

    /**
     * What a function package's code calls in AWS and what its role grants: the package read on its own,
     * for {@code palisade function --suggest-policy}.
     */
    public FunctionPermissions.Analysis learnPermissions(ScanTarget.FunctionPackage function, ScanLimits unstarted)
            throws SourceException {
        ScanRequest request = new ScanRequest(
                function,
                Set.of(Scanner.MISCONFIG),
                unstarted.started(),
                ResultPolicy.reportAll(),
                TrustedSources.NONE,
                null);
        try (Artifact artifact = Files.isDirectory(function.path())
                ? DirectoryArtifact.open(
                        function.path(), ArtifactKind.FUNCTION, DeploymentModel.FUNCTION, Set.of(), request.limits())
                : ZipArtifact.open(
                        function.path(), ArtifactKind.FUNCTION, DeploymentModel.FUNCTION, request.limits())) {
            FileTree tree = inventory(request, artifact, null, List.of()).tree();
            return permissions(request, new ContentTree(tree, artifact), function.template());
        } catch (IOException e) {
            throw new SourceException(function.path() + ": " + ReadFailures.why(e), e);
        }
    }

    /** The templates of the package (by name, near its root) and the one the user named, then the code read against them. */
    private FunctionPermissions.Analysis permissions(ScanRequest request, FileTree tree, @Nullable Path named)
            throws SourceException {
        List<FunctionPermissions.Template> templates = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        int looked = 0;
        for (FileEntry entry : tree.entries()) {
            String lower = entry.name().toLowerCase(java.util.Locale.ROOT);
            boolean candidate = entry.isRegularFile()
                    && entry.path().split("/").length <= 2
                    && (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json"))
                    && !lower.equals("package.json")
                    && !lower.equals("package-lock.json")
                    && entry.size() <= request.limits().maxFileBytes();
            if (!candidate || looked++ >= 50) {
                continue;
            }
            try (InputStream in = tree.open(entry)) {
                byte[] bytes = LimitedInputStream.readAll(in, request.limits().maxFileBytes(), entry.path());
                template(entry.path(), entry.name(), bytes).ifPresent(templates::add);
            } catch (IOException | RuntimeException e) {
                // not a template: the configuration checks report files they cannot parse
            }
        }
        if (named != null) {
            try (SingleFileArtifact artifact =
                            SingleFileArtifact.open(named, ArtifactKind.DIRECTORY, DeploymentModel.UNSPECIFIED);
                    InputStream in = artifact.open(artifact.entry())) {
                byte[] bytes = LimitedInputStream.readAll(in, request.limits().maxFileBytes(), named.toString());
                Optional<FunctionPermissions.Template> template =
                        template(named.toString(), named.getFileName().toString(), bytes);
                if (template.isPresent()) {
                    templates.add(template.get());
                }
            } catch (IOException | RuntimeException e) {
                problems.add(
                        new Problem(named.toString(), null, "not read for the function's role: " + e.getMessage()));
            }
        }
        FunctionPermissions.Analysis analysis = new FunctionPermissions(
                        catalog, AwsServiceModels.load(), FunctionPermissions.Limits.DEFAULT)
                .analyse(tree, templates);
        if (problems.isEmpty()) {
            return analysis;
        }
        problems.addAll(analysis.problems());
        return new FunctionPermissions.Analysis(
                analysis.calls(),
                analysis.unresolved(),
                analysis.findings(),
                problems,
                analysis.suggestedPolicy(),
                analysis.policyNotes(),
                analysis.filesRead());
    }

    private static Optional<FunctionPermissions.Template> template(String path, String name, byte[] bytes)
            throws IOException {
        String start = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.UTF_8).strip();
        com.fasterxml.jackson.databind.JsonNode document =
                start.startsWith("{") ? StructuredText.json(bytes) : StructuredText.yaml(bytes);
        if (ServerlessChecks.isCloudFormation(document)) {
            return Optional.of(new FunctionPermissions.Template(path, document, false));
        }
        if (ServerlessChecks.isServerlessFramework(name, document)) {
            return Optional.of(new FunctionPermissions.Template(path, document, true));
        }
        return Optional.empty();
    }

    private Gathered config(ScanRequest request, Path path) throws SourceException, IOException {
        ArtifactDescription description = new ArtifactDescription(
                path.toString(), ArtifactKind.CONFIG, DeploymentModel.UNSPECIFIED, List.of(), null);
        Inventory empty = new Inventory(description, null, List.of(), List.of());
        ConfigScanner.Result result;
        if (Files.isDirectory(path)) {
            try (Artifact artifact = DirectoryArtifact.open(
                    path, ArtifactKind.DIRECTORY, DeploymentModel.UNSPECIFIED, Set.of(".git"), request.limits())) {
                FileTree tree = inventory(request, artifact, null, List.of()).tree();
                result = configScanner(request).scan(new ContentTree(tree, artifact));
            }
        } else {
            result = namedFile(request, path);
        }
        return new Gathered(empty, result.misconfigurations(), List.of(), result.problems(), List.of());
    }

    /** One file the user named, recognised by its content. */
    private ConfigScanner.Result namedFile(ScanRequest request, Path file) throws SourceException {
        try (SingleFileArtifact artifact =
                SingleFileArtifact.open(file, ArtifactKind.DIRECTORY, DeploymentModel.UNSPECIFIED)) {
            FileTree tree = new ContentTree(
                    inventory(request, artifact, null, List.of()).tree(), artifact);
            List<FileEntry> named =
                    tree.entry(artifact.fileName()).map(List::of).orElse(List.of());
            return configScanner(request).scanNamed(tree, named);
        }
    }

    /** An SBOM read through its artifact, like every other file, within the file size limit. */
    private Gathered sbom(Path path, ScanLimits limits) throws SourceException {
        byte[] bytes;
        try (SingleFileArtifact artifact =
                        SingleFileArtifact.open(path, ArtifactKind.SBOM, DeploymentModel.UNSPECIFIED);
                InputStream in = artifact.open(artifact.entry())) {
            bytes = LimitedInputStream.readAll(in, limits.maxFileBytes(), path + " (limit maxFileBytes)");
        } catch (IOException e) {
            throw new SourceException(path + ": cannot be read: " + ReadFailures.why(e), e);
        }
        return sbom(path.toString(), bytes, limits);
    }

    private Gathered sbom(String name, byte[] bytes, ScanLimits limits) throws SourceException {
        if (bytes.length > limits.maxFileBytes()) {
            throw new SourceException(
                    name + " is larger than the limit of " + limits.maxFileBytes() + " bytes (limit maxFileBytes)");
        }
        SbomReader.Contents contents;
        try {
            contents = SbomReader.read(name, bytes, limits.maxEntries());
        } catch (IOException e) {
            // the reader's messages name the document
            throw new SourceException(String.valueOf(e.getMessage()), e);
        }
        ArtifactDescription description =
                new ArtifactDescription(name, ArtifactKind.SBOM, DeploymentModel.UNSPECIFIED, List.of(), null);
        Inventory inventory = new Inventory(description, contents.os(), contents.packages(), contents.problems());
        return new Gathered(inventory, List.of(), List.of(), List.of(), List.of());
    }

    private ConfigScanner configScanner(ScanRequest request) {
        return new ConfigScanner(
                catalog,
                request.limits().maxFileBytes(),
                LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC),
                request.trustedSources(),
                BoundedFindings.DEFAULT_MAX,
                request.limits().deadline(),
                request.learned());
    }

    /** A root file system; the live root skips proc, sys, dev and run. */
    static Artifact openRoot(Path root, List<String> skipDirectories, ScanLimits limits) throws SourceException {
        boolean liveRoot;
        try {
            liveRoot = root.toRealPath().getParent() == null;
        } catch (IOException e) {
            throw new SourceException(root + ": cannot be read: " + ReadFailures.why(e), e);
        }
        return DirectoryArtifact.open(
                root, ArtifactKind.ROOTFS, DeploymentModel.VM, skips(skipDirectories, liveRoot), limits);
    }

    /** The directories a root file system scan leaves out: the user's, and proc, sys, dev and run of a live root. */
    private static Set<String> skips(List<String> skipDirectories, boolean liveRoot) {
        Set<String> skips = new HashSet<>();
        for (String dir : skipDirectories) {
            EntryPaths.normalize(dir).filter(d -> !d.isEmpty()).ifPresent(skips::add);
        }
        if (liveRoot) {
            skips.addAll(DirectoryArtifact.LIVE_ROOT_SKIPS);
        }
        return skips;
    }

    /**
     * The OSV ecosystems (with release) the inventory's packages would be matched in and that the
     * database holds no advisory for: "no findings" there means "not looked", and is said so.
     */
    static List<String> missingData(Inventory inventory, VulnerabilityStore store) throws IOException {
        Set<String> present = store.ecosystems();
        Set<String> missing = new TreeSet<>();
        for (Package p : inventory.packages()) {
            Optional<OsvTarget> target = OsvTarget.of(p, inventory.os(), new StringBuilder());
            if (target.isPresent() && target.get().ecosystems().stream().noneMatch(present::contains)) {
                missing.addAll(target.get().ecosystems());
            }
        }
        return List.copyOf(missing);
    }
}
