package dev.palisade.cli;

import dev.palisade.match.Severity;
import dev.palisade.registry.RegistryClient;
import dev.palisade.registry.TagPattern;
import dev.palisade.report.ReportFormat;
import dev.palisade.report.ScanReport;
import dev.palisade.report.TerminalText;
import dev.palisade.scan.RegistryAccess;
import dev.palisade.scan.ScanPipeline;
import dev.palisade.scan.ScanRequest;
import dev.palisade.scan.ScanTarget;
import dev.palisade.source.SourceException;
import dev.palisade.source.image.ImageReference;
import dev.palisade.source.image.ImageSources;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code palisade registry HOST/NAME}: every (or every matching) tag of a repository, several at a
 * time, each through the same pipeline and policy as {@code palisade image HOST/NAME:TAG}.
 */
@Command(
        name = "registry",
        footerHeading = "%nExamples:%n",
        footer = {
            "  palisade registry registry.example.com/team/app --tags 'v*'",
            "  palisade registry registry.example.com/team/app --all-tags --output-dir reports/"
        },
        mixinStandardHelpOptions = true,
        description = "Scan the tags of a repository in a registry and summarise them.")
final class RegistryCommand extends ScanCommand {
    /** Registry images have layers: every shared option applies. */
    @Override
    java.util.Set<String> unusedOptions() {
        return java.util.Set.of();
    }

    private static final int MAX_TAGS = 10_000;

    @Parameters(
            index = "0",
            paramLabel = "HOST/NAME",
            description = "The repository, e.g. registry.example.com:5000/team/app.")
    String repository;

    @Option(
            names = "--tags",
            paramLabel = "PATTERN",
            description = "Scan the tags matching this regular expression (RE2 syntax, as Go's regexp).")
    String tagPattern;

    @Option(names = "--all-tags", description = "Scan every tag.")
    boolean allTags;

    @Option(
            names = "--parallel",
            paramLabel = "N",
            defaultValue = "2",
            description = "Tags scanned at a time (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(
            names = "--output-dir",
            paramLabel = "DIR",
            description = "Write each tag's full report to DIR/<tag>.<format> (JSON unless --format names another).")
    Path outputDir;

    @Option(
            names = "--platform",
            paramLabel = "OS/ARCH[/VARIANT]",
            description = "Which image of a multi-platform index to scan.")
    String platform;

    @Mixin
    RegistryOptions registry;

    RegistryCommand(Environment environment) {
        super(environment);
    }

    /** One line of the summary. */
    record TagResult(
            String tag,
            @Nullable String digest,
            String os,
            int packages,
            Map<Severity, Integer> findings,
            @Nullable String error,
            int exitCode) {}

    @Override
    ScanTarget target() throws SourceException {
        throw new SourceException("a repository is scanned tag by tag");
    }

    @Override
    RegistryAccess registryAccess() {
        return database.offline ? RegistryAccess.offline() : reference -> registry.client(reference, environment);
    }

    @Override
    public Integer call() {
        if (serverClient.enabled()) {
            return fail(
                    "--server is not supported by 'registry' yet: send each image with 'palisade image REF --server URL'");
        }
        PrintStream err = environment.err();
        if (!allTags && tagPattern == null) {
            return fail("choose the tags: --all-tags, or --tags PATTERN");
        }
        TagPattern wanted;
        try {
            wanted = tagPattern == null ? TagPattern.everyTag() : TagPattern.compile(tagPattern);
        } catch (IllegalArgumentException e) {
            return fail("--tags: " + e.getMessage());
        }
        ImageReference base = ImageReference.parse(repository).orElse(null);
        if (base == null || base.digest() != null) {
            return fail(repository + " is not a repository reference (HOST[:PORT]/NAME)");
        }
        ReportFormat tagFormat;
        ImageSources.Platform target;
        ScanRequest template;
        try {
            tagFormat = "table".equalsIgnoreCase(format)
                    ? ReportFormat.JSON
                    : ReportFormat.parse(format)
                            .filter(f -> f != ReportFormat.TEMPLATE)
                            .orElseThrow(() -> new IllegalArgumentException("unknown format '" + format + "'"));
            target = platform == null
                    ? ImageSources.Platform.linux(System.getProperty("os.arch", "amd64"))
                    : ImageSources.Platform.parse(platform);
            template = request(new ScanTarget.RegistryImage(base, target));
        } catch (IllegalArgumentException | IOException e) {
            return fail(e.getMessage());
        }
        List<String> tags = new ArrayList<>();
        int notTagNames;
        try {
            RegistryClient client = registryAccess().client(base);
            RegistryClient.TagList listed = client.tags(MAX_TAGS);
            notTagNames = listed.notTagNames();
            for (String tag : listed.tags()) {
                if (wanted.matches(tag)) {
                    tags.add(tag);
                }
            }
        } catch (IOException e) {
            return fail("cannot list the tags of " + repository + ": " + e.getMessage());
        }
        if (notTagNames > 0) {
            err.println("palisade: warning: the registry listed " + notTagNames
                    + " entries that are not tag names; they were not scanned");
        }
        tags.sort(null);
        if (tags.isEmpty()) {
            return fail("no tag of " + repository + " matches");
        }
        try {
            if (outputDir != null) {
                Files.createDirectories(outputDir);
            }
        } catch (IOException e) {
            return fail("--output-dir " + outputDir + ": " + e.getMessage());
        }
        List<TagResult> results = new ArrayList<>();
        try (CliDatabase db = new CliDatabase(new VulnerabilityDatabases(database, environment, m -> {}), true)) {
            ScanPipeline pipeline = pipeline(db, m -> {});
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, 16)));
            try {
                List<Future<TagResult>> futures = new ArrayList<>();
                for (String tag : tags) {
                    ScanTarget.RegistryImage image = new ScanTarget.RegistryImage(
                            new ImageReference(base.registry(), base.repository(), tag, null), target);
                    futures.add(pool.submit(() -> scanTag(pipeline, template.withTarget(image), tag, tagFormat)));
                }
                for (Future<TagResult> f : futures) {
                    results.add(f.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fail("interrupted");
            } catch (ExecutionException e) {
                return fail(String.valueOf(e.getCause()));
            } finally {
                pool.shutdownNow();
            }
        }
        printSummary(results);
        if (notTagNames > 0 || results.stream().anyMatch(r -> r.error() != null)) {
            return PalisadeCommand.EXIT_UNREADABLE;
        }
        return results.stream()
                .mapToInt(TagResult::exitCode)
                .filter(code -> code != 0)
                .findFirst()
                .orElse(PalisadeCommand.EXIT_OK);
    }

    private TagResult scanTag(ScanPipeline pipeline, ScanRequest request, String tag, ReportFormat tagFormat) {
        try {
            ScanPipeline.Report report = pipeline.run(request);
            ScanReport model = report.model();
            if (outputDir != null) {
                Path file = outputDir.resolve(safeFileName(tag) + "." + extension(tagFormat));
                ReportOutput.write(file, environment.out(), out -> tagFormat
                        .writer(listPackages)
                        .write(model, out));
            }
            String os = model.inventory()
                    .osRelease()
                    .map(o -> o.id() + " " + o.versionId())
                    .orElse("-");
            String digest = model.inventory()
                    .artifact()
                    .imageMetadata()
                    .map(m -> m.imageId())
                    .orElse(null);
            return new TagResult(
                    tag, digest, os, model.inventory().packages().size(), model.counts(), null, report.exitCode());
        } catch (SourceException | IOException | RuntimeException e) {
            return new TagResult(
                    tag, null, "-", 0, Map.of(), String.valueOf(e.getMessage()), PalisadeCommand.EXIT_UNREADABLE);
        }
    }

    private static String extension(ReportFormat format) {
        return switch (format) {
            case JSON -> "json";
            case CYCLONEDX -> "cdx.json";
            case SPDX_JSON -> "spdx.json";
            case HTML -> "html";
            case TEMPLATE -> "txt";
            case SARIF -> "sarif";
            case TABLE -> "txt";
        };
    }

    private void printSummary(List<TagResult> results) {
        PrintStream out = environment.out();
        out.printf(
                Locale.ROOT,
                "%-24s %-20s %-12s %9s %9s %5s %7s %7s %4s %8s%n",
                "TAG",
                "IMAGE ID",
                "OS",
                "PACKAGES",
                "CRITICAL",
                "HIGH",
                "MEDIUM",
                "LOW",
                "UNK",
                "STATUS");
        for (TagResult r : results) {
            String digest = r.digest() == null
                    ? "-"
                    : r.digest().substring(0, Math.min(19, r.digest().length()));
            out.printf(
                    Locale.ROOT,
                    "%-24s %-20s %-12s %9d %9d %5d %7d %7d %4d %8s%n",
                    TerminalText.escape(r.tag()),
                    digest,
                    TerminalText.escape(r.os()),
                    r.packages(),
                    r.findings().getOrDefault(Severity.CRITICAL, 0),
                    r.findings().getOrDefault(Severity.HIGH, 0),
                    r.findings().getOrDefault(Severity.MEDIUM, 0),
                    r.findings().getOrDefault(Severity.LOW, 0),
                    r.findings().getOrDefault(Severity.UNKNOWN, 0),
                    r.error() == null ? "ok" : "failed");
            if (r.error() != null) {
                environment.err().println("palisade: error: " + TerminalText.escape(r.tag() + ": " + r.error()));
            }
        }
    }

    /** Tags may hold characters a file name must not: keep letters, digits, dot, dash and underscore. */
    static String safeFileName(@Nullable String tag) {
        String name = tag == null ? "untagged" : tag.replaceAll("[^A-Za-z0-9._-]", "_");
        return name.startsWith(".") ? "_" + name : name;
    }
}
