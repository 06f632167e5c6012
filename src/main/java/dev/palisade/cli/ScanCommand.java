package dev.palisade.cli;

import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.LearnedProfile;
import dev.palisade.checks.TrustedSources;
import dev.palisade.match.Severity;
import dev.palisade.policy.ResultPolicy;
import dev.palisade.policy.Suppressions;
import dev.palisade.report.ReportFormat;
import dev.palisade.report.ReportWriter;
import dev.palisade.report.TableWriter;
import dev.palisade.report.TerminalText;
import dev.palisade.scan.RegistryAccess;
import dev.palisade.scan.ScanPipeline;
import dev.palisade.scan.ScanRequest;
import dev.palisade.scan.ScanTarget;
import dev.palisade.scan.Scanner;
import dev.palisade.source.PathSkips;
import dev.palisade.source.Problem;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What every scanning command shares: output options, limits, and the run itself. */
abstract class ScanCommand implements Callable<Integer> {
    private static final int PROBLEMS_ON_STDERR = 20;

    protected final Environment environment;

    @Option(
            names = {"-f", "--format"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "Report format: table, json, cyclonedx, spdx-json, sarif, html, template"
                    + " (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
            // not --template as in Trivy: `function --template` names the SAM/CloudFormation template
            names = "--report-template",
            paramLabel = "FILE",
            description = "With --format template: the Mustache template to fill (FILE or @FILE).")
    @Nullable
    String template;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Write the report to FILE instead of stdout.")
    Path output;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress and no warnings on stderr.")
    boolean quiet;

    @Option(
            names = "--max-file-size",
            paramLabel = "BYTES",
            description = "Largest single file read (default: 64 MiB). Suffixes K, M, G.")
    String maxFileSize;

    @Option(
            names = "--max-total-size",
            paramLabel = "BYTES",
            description = "Most uncompressed bytes read from one artifact (default: 64 GiB).")
    String maxTotalSize;

    @Option(
            names = "--max-entries",
            paramLabel = "N",
            description = "Most entries read from one artifact (default: 5000000).")
    Long maxEntries;

    @Option(
            names = "--max-depth",
            paramLabel = "N",
            description = "Deepest nesting of archives in archives (default: 5).")
    Integer maxDepth;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            description = "Longest a scan may run, e.g. 10m, 90s (default: 30m).")
    String timeout;

    @Option(
            names = "--scanners",
            paramLabel = "LIST",
            defaultValue = "vuln,misconfig,secret",
            description =
                    "What to look for beyond the inventory: vuln (known vulnerabilities), misconfig (configuration checks), "
                            + "secret (secrets in files), a list (default: ${DEFAULT-VALUE}) or none.")
    String scanners;

    @Option(
            names = {"-s", "--severity"},
            split = ",",
            paramLabel = "SEVERITY",
            description = "Report only these severities: UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL (default: all).")
    List<String> severities;

    @Option(names = "--ignore-unfixed", description = "Leave out vulnerabilities that have no fixed version yet.")
    boolean ignoreUnfixed;

    @Option(
            names = "--exit-code",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "Exit with N when findings remain after the filters (--severity, --ignore-unfixed, ignore "
                            + "files, VEX): vulnerabilities, misconfigurations and secrets, or the kinds --exit-on names. "
                            + "Vulnerabilities whose version could not be compared do not count (default: ${DEFAULT-VALUE}: never).")
    int exitCode;

    @Option(
            names = "--exit-on",
            split = ",",
            paramLabel = "KIND",
            defaultValue = "vuln,misconfig,secret",
            description = "The kinds of findings that make --exit-code apply: vuln, misconfig, secret, a list "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> exitOn;

    @Option(
            names = "--list-packages",
            description = "In the table format, list the packages as well as the vulnerabilities.")
    boolean listPackages;

    @Option(
            names = {"--ignore-file", "--ignorefile"},
            paramLabel = "FILE",
            description = "Findings not to report: Trivy's .trivyignore (one id per line, # comments, exp:YYYY-MM-DD) "
                    + "or YAML (vulnerabilities/misconfigurations/secrets lists: id, paths, purls, statement, expired_at). "
                    + "Default: .trivyignore in the working directory, else .trivyignore.yaml, when present.")
    Path ignoreFile;

    @Option(
            names = "--vex",
            paramLabel = "FILE",
            description =
                    "OpenVEX or CycloneDX VEX document; not_affected and fixed statements suppress findings. Repeatable.")
    List<Path> vexFiles = new ArrayList<>();

    @Option(names = "--no-progress", description = "No progress on stderr (warnings are still shown).")
    boolean noProgress;

    @Option(
            names = "--no-color",
            description = "No colour in the table, as with the NO_COLOR variable (colour is used only when stdout is "
                    + "a terminal).")
    boolean noColor;

    @Option(
            names = {"-d", "--debug"},
            description =
                    "Say on stderr which settings, ignore files and image sources were used, and the cause of internal errors.")
    boolean debug;

    @Mixin
    DatabaseOptions database;

    @Option(
            names = "--trusted-sources",
            paramLabel = "FILE",
            description =
                    "YAML policy: the registries images may come from (registries: [...]) and whether they must be pinned "
                            + "by digest (requireDigest: true); other images are reported as PAL-1007 / PAL-1008.")
    Path trustedSourcesFile;

    @Option(
            names = "--secret-rules",
            paramLabel = "FILE",
            description =
                    "More secret rules, in the format of the built-in secret-rules.yaml (id, check, pattern, group, files).")
    Path secretRules;

    @Option(
            names = "--skip-files",
            split = ",",
            paramLabel = "GLOB",
            description = "Files not to read, as globs relative to what is scanned (Trivy's): * and ? within a "
                    + "directory name, ** across directories, e.g. **/*.pem,test/fixtures/*.json. Repeatable.")
    List<String> skipFiles = List.of();

    @Option(
            names = "--skip-dirs",
            split = ",",
            paramLabel = "GLOB",
            description = "Directories not to read, nor anything below them, as globs like --skip-files, e.g. "
                    + "**/node_modules,vendor. Repeatable.")
    List<String> skipDirs = List.of();

    @Mixin
    LayerCacheOptions layerCache;

    @Mixin
    ServerClientOptions serverClient;

    ScanCommand(Environment environment) {
        this.environment = environment;
    }

    /**
     * The {@code --skip-dirs} without wildcards: a root file system is not even descended into there (the
     * globs are applied to what is read).
     */
    List<String> literalSkipDirs() {
        return skipDirs.stream().filter(d -> !d.matches(".*[*?\\[{].*")).toList();
    }

    /** Image layers are cached; other commands leave the cache's options out. */
    static final Set<String> LAYER_CACHE_OPTIONS = Set.of("--no-layer-cache", "--layer-cache-max-size");

    /**
     * The long names of the shared options this command has no use for: they are left out of its
     * {@code --help} and refused on its command line.
     */
    Set<String> unusedOptions() {
        return LAYER_CACHE_OPTIONS;
    }

    /** What the user named, as a pipeline target; throws when the command line cannot name one. */
    abstract ScanTarget target() throws SourceException;

    /** What a command writes besides the report, once the report is written (the function's suggested policy). */
    void afterReport(ScanPipeline pipeline, ScanRequest request) throws SourceException, IOException {}

    /** The benchmark profile the command line names ({@code --benchmark}), or null for a normal scan. */
    @org.jspecify.annotations.Nullable
    String benchmark() {
        return null;
    }

    /** Whether the report gets a patch plan ({@code --patch-plan}, on the commands that scan a machine). */
    boolean patchPlan() {
        return false;
    }

    /** The scanners that make sense for this command, among those asked for. */
    Set<Scanner> applicable(Set<Scanner> asked) {
        return asked;
    }

    @Override
    public Integer call() {
        ReportFormat reportFormat;
        ScanRequest request;
        @Nullable ReportWriter templateWriter;
        try {
            reportFormat = ReportFormat.parse(format)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "unknown format '" + format + "' (use " + ReportFormat.names() + ")"));
            if (template != null && reportFormat != ReportFormat.TEMPLATE) {
                return fail("--report-template is used only with --format template");
            }
            // the template is read and compiled before the scan; the other writers after the target is
            // read (an image's --dockerfile is read with it)
            templateWriter = reportFormat == ReportFormat.TEMPLATE
                    ? reportFormat.writer(listPackages, false, template == null ? null : ReportTemplates.read(template))
                    : null;
        } catch (IllegalArgumentException | IOException e) {
            return fail(e.getMessage());
        }
        if (benchmark() != null) {
            return runBenchmark(benchmark());
        }
        try {
            ReportOutput.check(output);
            request = request(target());
            if (serverClient.enabled()) {
                if (request.target() instanceof ScanTarget.ConfigFiles) {
                    return fail("--server takes inventories; configuration files alone have none: scan them locally");
                }
                if (ignoreFile != null || !vexFiles.isEmpty()) {
                    return fail(
                            "--ignore-file and --vex are not applied with --server yet: leave them out, or scan locally");
                }
                if (patchPlan()) {
                    return fail("--patch-plan is not applied with --server yet: leave it out, or scan locally");
                }
                // only the inventory is built here: the server matches it
                request = new ScanRequest(
                        request.target(),
                        EnumSet.noneOf(Scanner.class),
                        request.limits(),
                        request.policy(),
                        request.trustedSources(),
                        request.secretRules(),
                        request.learned(),
                        request.skips());
            }
        } catch (IllegalArgumentException | IOException | SourceException e) {
            return fail(e.getMessage());
        }
        Consumer<String> progress = progress();
        try (CliDatabase db = new CliDatabase(new VulnerabilityDatabases(database, environment, progress), quiet)) {
            ScanPipeline pipeline = pipeline(db, progress);
            ScanPipeline.Report report;
            try {
                report = pipeline.run(request);
            } finally {
                clearProgress();
            }
            warn(report.model().allProblems());
            if (serverClient.enabled()) {
                ServerClientOptions.Answer answer;
                try {
                    answer = serverClient.submit(
                            report.model(),
                            request.target().name(),
                            reportFormat,
                            severities,
                            ignoreUnfixed,
                            serverExitCode(),
                            environment.variables());
                } catch (IllegalArgumentException e) {
                    return fail(e.getMessage());
                }
                ReportOutput.write(output, environment.out(), out -> out.write(answer.report()));
                return answer.exitCode();
            }
            ReportWriter writer = templateWriter != null ? templateWriter : writer(reportFormat);
            ReportOutput.write(output, environment.out(), out -> writer.write(report.model(), out));
            afterReport(pipeline, request);
            return report.exitCode();
        } catch (SourceException e) {
            return fail(e.getMessage());
        } catch (CliDatabase.DatabaseException e) {
            return fail("vulnerability database: " + e.getMessage());
        } catch (IOException e) {
            return fail(e.getMessage());
        }
    }

    /**
     * {@code --benchmark ID}: exactly the checks of one profile, each with pass, fail or not-applicable,
     * in the table or JSON format. Vulnerabilities, secrets and ignore files play no part.
     */
    private int runBenchmark(String id) {
        CheckCatalog catalog = CheckCatalog.load();
        CheckCatalog.Benchmark profile;
        ScanRequest request;
        ReportFormat reportFormat;
        try {
            profile = catalog.benchmark(id);
            reportFormat = ReportFormat.parse(format).orElse(null);
            if (reportFormat != ReportFormat.TABLE && reportFormat != ReportFormat.JSON) {
                return fail("--benchmark writes the table or json format, not " + format);
            }
            if (serverClient.enabled()) {
                return fail("--benchmark runs locally: leave out --server");
            }
            ReportOutput.check(output);
            ScanRequest asked = request(target());
            request = new ScanRequest(
                    asked.target(),
                    EnumSet.of(Scanner.MISCONFIG),
                    asked.limits(),
                    asked.policy(),
                    asked.trustedSources(),
                    null,
                    asked.learned(),
                    asked.skips());
        } catch (IllegalArgumentException | IOException | SourceException e) {
            return fail(e.getMessage());
        }
        Consumer<String> progress = progress();
        try (CliDatabase db = new CliDatabase(new VulnerabilityDatabases(database, environment, progress), quiet)) {
            dev.palisade.scan.ScanResult result;
            try {
                result = pipeline(db, progress).scan(request);
            } finally {
                clearProgress();
            }
            List<Problem> problems = new ArrayList<>(result.inventory().problems());
            problems.addAll(result.problems());
            warn(problems);
            dev.palisade.report.BenchmarkReport report = dev.palisade.report.BenchmarkReport.of(
                    catalog,
                    profile,
                    request.target().name(),
                    result.misconfigurations() == null ? List.of() : result.misconfigurations(),
                    Set.copyOf(result.applicableChecks()),
                    result.scannedAt(),
                    PalisadeCommand.version());
            ReportOutput.write(output, environment.out(), out -> {
                if (reportFormat == ReportFormat.JSON) {
                    report.writeJson(out);
                } else {
                    report.writeTable(out);
                }
            });
            return report.count(dev.palisade.report.BenchmarkReport.Outcome.FAIL) > 0 ? exitCode : 0;
        } catch (SourceException e) {
            return fail(e.getMessage());
        } catch (CliDatabase.DatabaseException e) {
            return fail("vulnerability database: " + e.getMessage());
        } catch (IOException e) {
            return fail(e.getMessage());
        }
    }

    /** The exit code the server is asked to use: it matches vulnerabilities only, so 0 unless --exit-on has them. */
    int serverExitCode() {
        return ResultPolicy.FindingKind.parse(exitOn).contains(ResultPolicy.FindingKind.VULN) ? exitCode : 0;
    }

    /** The writer of the report in this format; commands with more to say to a writer override this. */
    ReportWriter writer(ReportFormat reportFormat) {
        if (reportFormat == ReportFormat.TABLE) {
            return new TableWriter(listPackages, tableStyle(), patchPlan());
        }
        return reportFormat.writer(listPackages, patchPlan(), null);
    }

    /**
     * The table fits a terminal: as wide as {@code $COLUMNS} says, else as the terminal is (when stdout is
     * one), in colour unless {@code NO_COLOR} is set or {@code --no-color} given. A file or a pipe gets
     * the whole of every cell, without colour (unless {@code $COLUMNS} asks for a width).
     */
    TableWriter.Style tableStyle() {
        if (output != null) {
            return TableWriter.Style.PLAIN;
        }
        Map<String, String> variables = environment.variables();
        int width = 0;
        String columns = variables.get("COLUMNS");
        if (columns != null && columns.trim().matches("[1-9][0-9]{0,4}")) {
            width = Integer.parseInt(columns.trim());
        } else if (environment.stdoutTerminal()) {
            width = terminalWidth();
        }
        String noColorVariable = variables.get("NO_COLOR");
        boolean colour =
                environment.stdoutTerminal() && !noColor && (noColorVariable == null || noColorVariable.isEmpty());
        return new TableWriter.Style(width, colour);
    }

    /** picocli's reading of the terminal's width (80 when it cannot tell). */
    static int terminalWidth() {
        return new picocli.CommandLine.Model.UsageMessageSpec().autoWidth(true).width();
    }

    /** The pipeline of this run, wired from the command line's options. */
    ScanPipeline pipeline(CliDatabase db, Consumer<String> progress) {
        return new ScanPipeline(
                environment.clock(),
                progress,
                layerCache.open(database, environment.variables()),
                CheckCatalog.load(),
                db,
                registryAccess(),
                engineAccess(),
                PalisadeCommand.version());
    }

    Consumer<String> progress() {
        return quiet || noProgress || !environment.interactive()
                ? message -> {}
                : message -> environment.progress(TerminalText.escape(message));
    }

    /** How this command reaches local container engines; only image references use them. */
    dev.palisade.scan.EngineAccess engineAccess() {
        return dev.palisade.scan.EngineAccess.none();
    }

    /** How this command reaches registries; only image references use it. */
    RegistryAccess registryAccess() {
        return RegistryAccess.offline();
    }

    int fail(@org.jspecify.annotations.Nullable String message) {
        environment.err().println("palisade: error: " + TerminalText.escape(String.valueOf(message)));
        return PalisadeCommand.EXIT_UNREADABLE;
    }

    /** The request the command line describes: target, scanners, limits, policy. */
    ScanRequest request(ScanTarget target) throws IOException {
        ScanLimits limits = limits();
        Set<Scanner> chosen = applicable(Scanner.parse(scanners));
        ResultPolicy policy = new ResultPolicy(
                severities(severities),
                ignoreUnfixed,
                suppressions(),
                exitCode,
                ResultPolicy.FindingKind.parse(exitOn));
        TrustedSources trusted =
                trustedSourcesFile == null ? TrustedSources.NONE : TrustedSources.load(trustedSourcesFile);
        String rules = secretRules == null
                ? null
                : new String(
                        readPolicyFile(secretRules, limits.maxMetadataBytes()),
                        java.nio.charset.StandardCharsets.UTF_8);
        return new ScanRequest(
                target, chosen, limits, policy, trusted, rules, learned(), PathSkips.of(skipFiles, skipDirs));
    }

    /** The profile of a traced run to compare with ({@code --learned}), for the commands that take one. */
    @Nullable
    LearnedProfile learned() throws IOException {
        return null;
    }

    LocalDate today() {
        return LocalDate.ofInstant(environment.clock().instant(), ZoneOffset.UTC);
    }

    private Suppressions suppressions() throws IOException {
        Suppressions suppressions = Suppressions.none();
        long maxBytes = ScanLimits.defaults().maxMetadataBytes();
        Path ignore = ignoreFile != null ? ignoreFile : defaultIgnoreFile();
        if (ignore != null) {
            debug("ignore file: " + ignore);
            suppressions = suppressions.withAnyIgnoreFile(ignore.toString(), readPolicyFile(ignore, maxBytes), today());
        }
        for (Path vex : vexFiles) {
            suppressions = suppressions.withVex(vex.toString(), readPolicyFile(vex, maxBytes));
        }
        return suppressions;
    }

    /** As Trivy reads {@code .trivyignore} from the working directory; {@code .trivyignore.yaml} when it is absent. */
    @org.jspecify.annotations.Nullable
    Path defaultIgnoreFile() {
        for (String name : List.of(".trivyignore", ".trivyignore.yaml")) {
            Path candidate = environment.workingDirectory().resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    void debug(String message) {
        if (debug) {
            environment.err().println("palisade: debug: " + TerminalText.escape(message));
        }
    }

    static byte[] readPolicyFile(Path file, long maxBytes) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        try (var in = Files.newInputStream(file)) {
            return dev.palisade.source.LimitedInputStream.readAll(in, maxBytes, file.toString());
        }
    }

    static Set<Severity> severities(@org.jspecify.annotations.Nullable List<String> values) {
        if (values == null) {
            return EnumSet.allOf(Severity.class);
        }
        if (values.stream().allMatch(String::isBlank)) {
            // "--severity ," would otherwise report everything, the opposite of a filter given by mistake
            throw new IllegalArgumentException(
                    "--severity: no severity given (use one or more of UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL)");
        }
        Set<Severity> wanted = EnumSet.noneOf(Severity.class);
        for (String v : values) {
            try {
                wanted.add(Severity.valueOf(v.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--severity: unknown severity '" + v + "' (use UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL)");
            }
        }
        return wanted;
    }

    private void clearProgress() {
        environment.clearProgress();
    }

    void warn(List<Problem> problems) {
        if (quiet) {
            return;
        }
        int shown = 0;
        for (Problem problem : problems) {
            if (shown++ == PROBLEMS_ON_STDERR) {
                environment
                        .err()
                        .println("palisade: warning: " + (problems.size() - PROBLEMS_ON_STDERR)
                                + " more problems; the report lists them all");
                break;
            }
            environment.err().println("palisade: warning: " + TerminalText.escape(problem.toString()));
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
        return parseDuration(text, "--timeout");
    }

    /** A duration as the options write it: {@code 500ms}, {@code 90s}, {@code 10m}, {@code 6h}, {@code 90d}. */
    static Duration parseDuration(String text, String option) {
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
                case 'd' -> Duration.ofDays(value);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(
                    option + ": not a duration: '" + text + "' (examples: 90s, 10m, 6h, 90d)");
        }
    }
}
