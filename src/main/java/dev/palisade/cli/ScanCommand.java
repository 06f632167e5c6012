package dev.palisade.cli;

import dev.palisade.catalog.Catalogers;
import dev.palisade.inventory.Inventory;
import dev.palisade.report.ReportFormat;
import dev.palisade.report.ScanReport;
import dev.palisade.scan.InventoryScanner;
import dev.palisade.source.Artifact;
import dev.palisade.source.Problem;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.ConfigScanner;
import dev.palisade.checks.ImageConfigChecks;
import dev.palisade.checks.Misconfiguration;
import dev.palisade.checks.SecretScanner;
import dev.palisade.checks.TrustedSources;
import dev.palisade.match.Finding;
import dev.palisade.match.Matcher;
import dev.palisade.match.Severity;
import dev.palisade.match.Suppressions;
import dev.palisade.vulndb.sqlite.DatabaseStatus;
import dev.palisade.vulndb.sqlite.SqliteVulnerabilityStore;
import picocli.CommandLine.Mixin;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/** What every scanning command shares: output options, limits, and the run itself. */
abstract class ScanCommand implements Callable<Integer> {
    private static final int PROBLEMS_ON_STDERR = 20;

    protected final Environment environment;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "Report format: table, json, cyclonedx, sarif (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of stdout.")
    Path output;

    @Option(names = {"-q", "--quiet"}, description = "No progress and no warnings on stderr.")
    boolean quiet;

    @Option(names = "--max-file-size", paramLabel = "BYTES", description = "Largest single file read (default: 64 MiB). Suffixes K, M, G.")
    String maxFileSize;

    @Option(names = "--max-total-size", paramLabel = "BYTES", description = "Most uncompressed bytes read from one artifact (default: 64 GiB).")
    String maxTotalSize;

    @Option(names = "--max-entries", paramLabel = "N", description = "Most entries read from one artifact (default: 5000000).")
    Long maxEntries;

    @Option(names = "--max-depth", paramLabel = "N", description = "Deepest nesting of archives in archives (default: 5).")
    Integer maxDepth;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Longest a scan may run, e.g. 10m, 90s (default: 30m).")
    String timeout;

    @Option(names = "--scanners", paramLabel = "LIST", defaultValue = "vuln,misconfig",
            description = "What to look for beyond the inventory: vuln (known vulnerabilities), misconfig (configuration checks), "
                    + "both (the default: ${DEFAULT-VALUE}) or none.")
    String scanners;

    @Option(names = "--severity", split = ",", paramLabel = "SEVERITY",
            description = "Report only these severities: UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL (default: all).")
    List<String> severities;

    @Option(names = "--ignore-unfixed", description = "Leave out vulnerabilities that have no fixed version yet.")
    boolean ignoreUnfixed;

    @Option(names = "--exit-code", paramLabel = "N", defaultValue = "0",
            description = "Exit with N when vulnerabilities remain after filtering (default: ${DEFAULT-VALUE}).")
    int exitCode;

    @Option(names = "--list-packages", description = "In the table format, list the packages as well as the vulnerabilities.")
    boolean listPackages;

    @Option(names = "--ignore-file", paramLabel = "FILE",
            description = "YAML list of vulnerabilities not to report (id, optional package, reason, expires).")
    Path ignoreFile;

    @Option(names = "--vex", paramLabel = "FILE", description = "OpenVEX document; not_affected and fixed statements suppress findings. Repeatable.")
    List<Path> vexFiles = new ArrayList<>();

    @Mixin
    DatabaseOptions database;

    @Option(names = "--trusted-sources", paramLabel = "FILE",
            description = "YAML policy: the registries images may come from (registries: [...]) and whether they must be pinned "
                    + "by digest (requireDigest: true); other images are reported as PAL-1007 / PAL-1008.")
    Path trustedSourcesFile;

    /** The trusted sources policy of this run, read before scanning starts. */
    TrustedSources trustedSources = TrustedSources.NONE;

    @Option(names = "--secret-rules", paramLabel = "FILE",
            description = "More secret rules, in the format of the built-in secret-rules.yaml (id, check, pattern, group, files).")
    Path secretRules;

    @Mixin
    LayerCacheOptions layerCache;

    ScanCommand(Environment environment) {
        this.environment = environment;
    }

    /** Opens what the user named; throws when it cannot be read at all. */
    abstract Artifact open(ScanLimits limits) throws SourceException;

    @Override
    public Integer call() throws IOException {
        ReportFormat reportFormat;
        ScanLimits limits;
        try {
            reportFormat = ReportFormat.valueOf(format.toUpperCase(Locale.ROOT));
            limits = limits();
        } catch (IllegalArgumentException e) {
            environment.err().println("palisade: error: " + (e.getMessage().startsWith("No enum") ? "unknown format '" + format
                    + "' (use table, json, cyclonedx or sarif)" : e.getMessage()));
            return PalisadeCommand.EXIT_UNREADABLE;
        }
        boolean vulnerabilities;
        boolean misconfigurations;
        Set<Severity> wanted;
        try {
            Set<String> chosen = scanners(scanners);
            vulnerabilities = chosen.contains("vuln") && scansVulnerabilities();
            misconfigurations = chosen.contains("misconfig");
            wanted = severities(severities);
        } catch (IllegalArgumentException e) {
            environment.err().println("palisade: error: " + e.getMessage());
            return PalisadeCommand.EXIT_UNREADABLE;
        }
        Suppressions suppressions;
        try {
            suppressions = suppressions();
            if (trustedSourcesFile != null) {
                trustedSources = TrustedSources.load(trustedSourcesFile);
            }
        } catch (IOException e) {
            environment.err().println("palisade: error: " + e.getMessage());
            return PalisadeCommand.EXIT_UNREADABLE;
        }
        Consumer<String> progress = quiet || !environment.interactive() ? message -> {}
                : message -> environment.err().print("\r\033[K" + message);
        SqliteVulnerabilityStore store = null;
        try {
            if (vulnerabilities) {
                try {
                    store = new VulnerabilityDatabases(database, environment, progress).openForScan(quiet);
                } catch (IOException e) {
                    clearProgress(progress);
                    environment.err().println("palisade: error: vulnerability database: " + e.getMessage());
                    return PalisadeCommand.EXIT_UNREADABLE;
                }
            }
            if (misconfigurations) {
                secretScanner = SecretScanner.load(CheckCatalog.load(),
                        secretRules == null ? null : readPolicyFile(secretRules, limits.maxMetadataBytes()), SecretScanner.DEFAULT_MAX_BYTES);
            }
            InventoryScanner.Scanned scanned;
            try {
                scanned = inventory(limits, progress);
            } catch (SourceException e) {
                clearProgress(progress);
                environment.err().println("palisade: error: " + e.getMessage());
                return PalisadeCommand.EXIT_UNREADABLE;
            }
            clearProgress(progress);
            Inventory inventory = scanned.inventory();
            warn(inventory.problems());
            ScanReport report;
            int exit = PalisadeCommand.EXIT_OK;
            if (store != null) {
                Matcher.Result matched = new Matcher(store).match(inventory);
                Suppressions.Outcome outcome = suppressions.apply(matched.findings());
                List<Problem> matchProblems = new ArrayList<>(matched.problems());
                outcome.notices().forEach(n -> matchProblems.add(new Problem(ignoreFile == null ? "vex" : ignoreFile.toString(), null, n)));
                List<Finding> kept = new ArrayList<>();
                for (Finding f : outcome.kept()) {
                    if (wanted.contains(f.severity()) && !(ignoreUnfixed && f.status() == Finding.Status.AFFECTED && !f.hasFix())) {
                        kept.add(f);
                    }
                }
                warn(matchProblems);
                DatabaseStatus status = store.status();
                List<String> sources = new ArrayList<>();
                status.sources().forEach(src -> sources.add(src.name() + " (" + src.records() + " records, fetched " + src.fetchedAt() + ")"));
                report = new ScanReport(inventory, kept, outcome.suppressed(), matchProblems,
                        new ScanReport.DatabaseInfo(status.meta().getOrDefault("built_at", ""), sources),
                        environment.clock().instant(), PalisadeCommand.version(), null, List.of(), List.of());
                if (exitCode != 0 && kept.stream().anyMatch(f -> f.status() == Finding.Status.AFFECTED)) {
                    exit = exitCode;
                }
            } else {
                report = ScanReport.inventoryOnly(inventory, environment.clock().instant(), PalisadeCommand.version());
            }
            if (misconfigurations) {
                CheckCatalog catalog = CheckCatalog.load();
                Checked checked = checks(scanned, catalog, limits);
                List<Misconfiguration> all = new ArrayList<>(checked.found());
                all.addAll(scanned.secrets());
                List<Misconfiguration> keptChecks = new ArrayList<>();
                List<ScanReport.SuppressedCheck> suppressedChecks = new ArrayList<>();
                for (Misconfiguration m : all) {
                    var reason = suppressions.reasonFor(m.check().id(), m.path());
                    if (reason.isPresent()) {
                        suppressedChecks.add(new ScanReport.SuppressedCheck(m, reason.get()));
                    } else if (wanted.contains(m.check().severity())) {
                        keptChecks.add(m);
                    }
                }
                warn(checked.problems());
                report = report.withMisconfigurations(keptChecks, suppressedChecks).withProblems(checked.problems());
                if (exitCode != 0 && !keptChecks.isEmpty()) {
                    exit = exitCode;
                }
            }
            report = complete(report);
            write(report, reportFormat);
            return exit;
        } finally {
            if (store != null) {
                store.close();
            }
        }
    }

    /** What a command adds to the report beyond packages, findings and checks (a live host's sockets). */
    ScanReport complete(ScanReport report) {
        return report;
    }

    /** The inventory of what the user named: by default the artifact streamed through the catalogers. */
    InventoryScanner.Scanned inventory(ScanLimits limits, Consumer<String> progress) throws SourceException, IOException {
        try (Artifact artifact = open(limits)) {
            return new InventoryScanner(limits, environment.clock(), progress, layerCache.open(database, environment.variables()), secretScanner)
                    .scanWithTree(artifact, Catalogers.forKind(artifact.description().kind()));
        }
    }

    /** Set for the run when misconfigurations are looked for: secrets are found while the files stream past. */
    private dev.palisade.checks.@org.jspecify.annotations.Nullable SecretScanner secretScanner;

    /** What the configuration checks found, and what they could not read. */
    record Checked(List<Misconfiguration> found, List<Problem> problems) {}

    /** The configuration checks that fit the artifact: by default, an image's configuration and files. */
    Checked checks(InventoryScanner.Scanned scanned, CheckCatalog catalog, ScanLimits limits) throws IOException {
        if (scanned.inventory().artifact().kind() == dev.palisade.source.ArtifactKind.IMAGE) {
            return new Checked(new ImageConfigChecks(catalog).evaluate(scanned.inventory().artifact(), scanned.tree()), List.of());
        }
        return new Checked(List.of(), List.of());
    }

    /** The scanner for configuration files, with this run's limits and trusted sources policy. */
    ConfigScanner configScanner(CheckCatalog catalog, ScanLimits limits) {
        return new ConfigScanner(catalog, limits.maxFileBytes(), today(), trustedSources);
    }

    java.time.LocalDate today() {
        return java.time.LocalDate.ofInstant(environment.clock().instant(), java.time.ZoneOffset.UTC);
    }

    /** Whether this command matches vulnerabilities at all. */
    boolean scansVulnerabilities() {
        return true;
    }

    private void write(ScanReport report, ReportFormat reportFormat) throws IOException {
        if (output != null) {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(output))) {
                reportFormat.writer(listPackages).write(report, out);
            }
        } else {
            OutputStream out = new BufferedOutputStream(environment.out());
            reportFormat.writer(listPackages).write(report, out);
            out.flush();
        }
    }

    private Suppressions suppressions() throws IOException {
        Suppressions suppressions = Suppressions.none();
        long maxBytes = ScanLimits.defaults().maxMetadataBytes();
        if (ignoreFile != null) {
            suppressions = suppressions.withIgnoreFile(ignoreFile.toString(), readPolicyFile(ignoreFile, maxBytes),
                    java.time.LocalDate.ofInstant(environment.clock().instant(), java.time.ZoneOffset.UTC));
        }
        for (Path vex : vexFiles) {
            suppressions = suppressions.withVex(vex.toString(), readPolicyFile(vex, maxBytes));
        }
        return suppressions;
    }

    private static byte[] readPolicyFile(Path file, long maxBytes) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        try (var in = Files.newInputStream(file)) {
            return dev.palisade.source.LimitedInputStream.readAll(in, maxBytes, file.toString());
        }
    }

    static Set<String> scanners(String value) {
        Set<String> chosen = new java.util.HashSet<>();
        for (String part : value.split(",")) {
            String scanner = part.trim().toLowerCase(Locale.ROOT);
            switch (scanner) {
                case "vuln", "misconfig" -> chosen.add(scanner);
                case "none", "" -> { }
                default -> throw new IllegalArgumentException("--scanners: unknown scanner '" + part + "' (use vuln, misconfig or none)");
            }
        }
        return chosen;
    }

    static Set<Severity> severities(List<String> values) {
        if (values == null || values.isEmpty()) {
            return EnumSet.allOf(Severity.class);
        }
        Set<Severity> wanted = EnumSet.noneOf(Severity.class);
        for (String v : values) {
            try {
                wanted.add(Severity.valueOf(v.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--severity: unknown severity '" + v + "' (use UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL)");
            }
        }
        return wanted;
    }

    private void clearProgress(Consumer<String> progress) {
        if (!quiet && environment.interactive()) {
            environment.err().print("\r\033[K");
        }
    }

    void warn(List<Problem> problems) {
        if (quiet) {
            return;
        }
        int shown = 0;
        for (Problem problem : problems) {
            if (shown++ == PROBLEMS_ON_STDERR) {
                environment.err().println("palisade: warning: " + (problems.size() - PROBLEMS_ON_STDERR)
                        + " more problems; the report lists them all");
                break;
            }
            environment.err().println("palisade: warning: " + problem);
        }
    }

    ScanLimits limits() {
        ScanLimits limits = ScanLimits.defaults();
        if (maxFileSize != null) {
            limits = limits.withMaxFileBytes(parseBytes(maxFileSize, "--max-file-size"));
        }
        if (maxTotalSize != null) {
            limits = limits.withMaxTotalBytes(parseBytes(maxTotalSize, "--max-total-size"));
        }
        if (maxEntries != null) {
            limits = limits.withMaxEntries(maxEntries);
        }
        if (maxDepth != null) {
            limits = limits.withMaxArchiveDepth(maxDepth);
        }
        if (timeout != null) {
            limits = limits.withTimeout(parseDuration(timeout));
        }
        return limits;
    }

    static long parseBytes(String text, String option) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "");
        long factor = 1;
        if (t.endsWith("K")) {
            factor = 1024;
        } else if (t.endsWith("M")) {
            factor = 1024 * 1024;
        } else if (t.endsWith("G")) {
            factor = 1024L * 1024 * 1024;
        }
        if (factor > 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            long value = Long.parseLong(t.trim()) * factor;
            if (value <= 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": not a size: '" + text + "' (examples: 512K, 64M, 2G)");
        }
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long value = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(value);
                case 'm' -> Duration.ofMinutes(value);
                case 'h' -> Duration.ofHours(value);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("--timeout: not a duration: '" + text + "' (examples: 90s, 10m, 1h)");
        }
    }
}
