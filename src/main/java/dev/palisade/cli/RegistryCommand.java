package dev.palisade.cli;

import dev.palisade.catalog.Catalogers;
import dev.palisade.inventory.Inventory;
import dev.palisade.match.Finding;
import dev.palisade.match.Matcher;
import dev.palisade.match.Severity;
import dev.palisade.source.image.ImageReference;
import dev.palisade.registry.RegistryBlobReader;
import dev.palisade.registry.RegistryClient;
import dev.palisade.report.JsonReportWriter;
import dev.palisade.report.ScanReport;
import dev.palisade.scan.InventoryScanner;
import dev.palisade.scan.LayerCache;
import dev.palisade.source.Artifact;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import dev.palisade.source.image.ImageSources;
import dev.palisade.vulndb.sqlite.SqliteVulnerabilityStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade registry HOST/NAME}: every (or every matching) tag of a repository, several at a time. */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Scan the tags of a repository in a registry and summarise them.")
final class RegistryCommand implements Callable<Integer> {
    private static final int MAX_TAGS = 10_000;

    private final Environment environment;

    @Parameters(index = "0", paramLabel = "HOST/NAME", description = "The repository, e.g. registry.example.com:5000/team/app.")
    String repository;

    @Option(names = "--tags", paramLabel = "PATTERN", description = "Scan the tags matching this regular expression.")
    String tagPattern;

    @Option(names = "--all-tags", description = "Scan every tag.")
    boolean allTags;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "2", description = "Tags scanned at a time (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "Write each tag's full JSON report to DIR/<tag>.json.")
    Path outputDir;

    @Option(names = "--exit-code", paramLabel = "N", defaultValue = "0",
            description = "Exit with N when any tag has vulnerabilities (default: ${DEFAULT-VALUE}).")
    int exitCode;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Which image of a multi-platform index to scan.")
    String platform;

    @Mixin
    RegistryOptions registry;

    @Mixin
    DatabaseOptions database;

    @Mixin
    LayerCacheOptions layerCache;

    RegistryCommand(Environment environment) {
        this.environment = environment;
    }

    /** One line of the summary. */
    record TagResult(String tag, @Nullable String digest, String os, int packages, Map<Severity, Integer> findings,
            @Nullable String error) {}

    @Override
    public Integer call() throws Exception {
        PrintStream err = environment.err();
        if (!allTags && tagPattern == null) {
            err.println("palisade: error: choose the tags: --all-tags, or --tags PATTERN");
            return PalisadeCommand.EXIT_UNREADABLE;
        }
        Pattern wanted;
        try {
            wanted = tagPattern == null ? Pattern.compile(".*") : Pattern.compile(tagPattern);
        } catch (PatternSyntaxException e) {
            err.println("palisade: error: --tags: not a regular expression: " + e.getDescription());
            return PalisadeCommand.EXIT_UNREADABLE;
        }
        ImageReference base = ImageReference.parse(repository).orElse(null);
        if (base == null || base.digest() != null) {
            err.println("palisade: error: " + repository + " is not a repository reference (HOST[:PORT]/NAME)");
            return PalisadeCommand.EXIT_UNREADABLE;
        }
        RegistryClient client;
        List<String> tags = new ArrayList<>();
        try {
            client = registry.client(base, environment);
            for (String tag : client.tags(MAX_TAGS)) {
                if (wanted.matcher(tag).matches()) {
                    tags.add(tag);
                }
            }
        } catch (IOException e) {
            err.println("palisade: error: cannot list the tags of " + repository + ": " + e.getMessage());
            return PalisadeCommand.EXIT_UNREADABLE;
        }
        tags.sort(null);
        if (tags.isEmpty()) {
            err.println("palisade: error: no tag of " + repository + " matches");
            return PalisadeCommand.EXIT_UNREADABLE;
        }
        if (outputDir != null) {
            Files.createDirectories(outputDir);
        }
        ImageSources.Platform target = platform == null ? ImageSources.Platform.host() : ImageSources.Platform.parse(platform);
        ScanLimits limits = ScanLimits.defaults();
        LayerCache cache = layerCache.open(database, environment.variables());
        List<TagResult> results = new ArrayList<>();
        try (SqliteVulnerabilityStore store = new VulnerabilityDatabases(database, environment, m -> {}).openForScan(true)) {
            Matcher matcher = new Matcher(store);
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, 16)));
            try {
                List<Future<TagResult>> futures = new ArrayList<>();
                for (String tag : tags) {
                    ImageReference reference = new ImageReference(base.registry(), base.repository(), tag, null);
                    futures.add(pool.submit(() -> scanTag(client.forReference(reference), target, limits, matcher, cache)));
                }
                for (Future<TagResult> f : futures) {
                    results.add(f.get());
                }
            } finally {
                pool.shutdownNow();
            }
        } catch (IOException e) {
            err.println("palisade: error: vulnerability database: " + e.getMessage());
            return PalisadeCommand.EXIT_UNREADABLE;
        }
        printSummary(results);
        boolean failed = results.stream().anyMatch(r -> r.error() != null);
        boolean vulnerable = results.stream().anyMatch(r -> r.findings().values().stream().mapToInt(Integer::intValue).sum() > 0);
        if (failed) {
            return PalisadeCommand.EXIT_UNREADABLE;
        }
        return exitCode != 0 && vulnerable ? exitCode : PalisadeCommand.EXIT_OK;
    }

    private TagResult scanTag(RegistryClient client, ImageSources.Platform target, ScanLimits limits, Matcher matcher,
            @Nullable LayerCache cache) {
        String tag = client.reference().tag();
        RegistryBlobReader blobs = new RegistryBlobReader(client, limits.maxMetadataBytes());
        try {
            Inventory inventory;
            try (Artifact artifact = new ImageSources(limits, target).openLayout(client.reference().toString(), blobs)) {
                inventory = new InventoryScanner(limits, environment.clock(), m -> {}, cache)
                        .scan(artifact, Catalogers.forKind(artifact.description().kind()));
            }
            Matcher.Result matched;
            synchronized (matcher) {
                matched = matcher.match(inventory);
            }
            Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
            for (Finding f : matched.findings()) {
                counts.merge(f.severity(), 1, Integer::sum);
            }
            if (outputDir != null) {
                ScanReport report = new ScanReport(inventory, matched.findings(), List.of(), matched.problems(), null,
                        environment.clock().instant(), PalisadeCommand.version(), null, List.of(), List.of());
                try (OutputStream out = Files.newOutputStream(outputDir.resolve(safeFileName(tag) + ".json"))) {
                    new JsonReportWriter().write(report, out);
                }
            }
            String os = inventory.osRelease().map(o -> o.id() + " " + o.versionId()).orElse("-");
            return new TagResult(tag, blobs.resolvedDigest().orElse(null), os, inventory.packages().size(), counts, null);
        } catch (SourceException | IOException | RuntimeException e) {
            return new TagResult(tag, blobs.resolvedDigest().orElse(null), "-", 0, Map.of(), e.getMessage());
        }
    }

    private void printSummary(List<TagResult> results) {
        PrintStream out = environment.out();
        out.printf(Locale.ROOT, "%-24s %-20s %-12s %9s %9s %5s %7s %7s %4s %8s%n", "TAG", "DIGEST", "OS", "PACKAGES", "CRITICAL",
                "HIGH", "MEDIUM", "LOW", "UNK", "STATUS");
        for (TagResult r : results) {
            String digest = r.digest() == null ? "-" : r.digest().substring(0, Math.min(19, r.digest().length()));
            out.printf(Locale.ROOT, "%-24s %-20s %-12s %9d %9d %5d %7d %7d %4d %8s%n", r.tag(), digest, r.os(), r.packages(),
                    r.findings().getOrDefault(Severity.CRITICAL, 0), r.findings().getOrDefault(Severity.HIGH, 0),
                    r.findings().getOrDefault(Severity.MEDIUM, 0), r.findings().getOrDefault(Severity.LOW, 0),
                    r.findings().getOrDefault(Severity.UNKNOWN, 0), r.error() == null ? "ok" : "failed");
            if (r.error() != null) {
                environment.err().println("palisade: error: " + r.tag() + ": " + r.error());
            }
        }
    }

    /** Tags may hold characters a file name must not: keep letters, digits, dot, dash and underscore. */
    static String safeFileName(@Nullable String tag) {
        String name = tag == null ? "untagged" : tag.replaceAll("[^A-Za-z0-9._-]", "_");
        return name.startsWith(".") ? "_" + name : name;
    }
}
