package dev.palisade.cli;

import dev.palisade.assess.Assessment;
import dev.palisade.assess.Assessor;
import dev.palisade.assess.EvidenceReader;
import dev.palisade.assess.ModelData;
import dev.palisade.assess.Portfolio;
import dev.palisade.assess.PortfolioException;
import dev.palisade.assess.PortfolioParser;
import dev.palisade.assess.render.AssessmentFormat;
import dev.palisade.checks.CheckCatalog;
import dev.palisade.checks.TrustedSources;
import dev.palisade.policy.ResultPolicy;
import dev.palisade.report.TerminalText;
import dev.palisade.scan.RegistryAccess;
import dev.palisade.scan.ScanPipeline;
import dev.palisade.scan.ScanRequest;
import dev.palisade.scan.Scanner;
import dev.palisade.source.ScanLimits;
import dev.palisade.source.SourceException;
import dev.palisade.source.image.ImageSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "assess",
        footerHeading = "%nExamples:%n",
        footer = {"  palisade assess portfolio.yaml", "  palisade assess portfolio.yaml -f json -o assessment.json"},
        mixinStandardHelpOptions = true,
        description = "Compare each application of a portfolio across VM, container and function: measured profiles, "
                + "the most streamlined model it can move to, and what blocks the others.")
final class AssessCommand implements Callable<Integer> {
    private final Environment environment;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "PORTFOLIO",
            description = "The portfolio file (YAML: applications, deployments); or --server.")
    @org.jspecify.annotations.Nullable
    Path portfolio;

    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "Assess the applications stored in this Palisade server instead of a portfolio file; "
                    + "its viewer token in --token or $" + ServerClientOptions.TOKEN_VARIABLE + ".")
    @org.jspecify.annotations.Nullable
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", description = "A viewer token for --server.")
    @org.jspecify.annotations.Nullable
    String token;

    @Option(
            names = {"-f", "--format"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "table, json, markdown or html (one self-contained file) (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Write the assessment to FILE instead of stdout.")
    Path output;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress and no warnings on stderr.")
    boolean quiet;

    @Mixin
    DatabaseOptions database;

    @Mixin
    RegistryOptions registry;

    @Mixin
    LayerCacheOptions layerCache;

    AssessCommand(Environment environment) {
        this.environment = environment;
    }

    /** The most a server's assessment may weigh; a portfolio's is a few kilobytes per application. */
    private static final long MAX_SERVER_ANSWER = 256L * 1024 * 1024;

    @Override
    public Integer call() {
        if ((portfolio == null) == (server == null)) {
            return fail("give the portfolio: a PORTFOLIO file or --server URL (one of them)");
        }
        if (server != null) {
            return fromServer(server);
        }
        AssessmentFormat assessmentFormat;
        Portfolio parsed;
        Path portfolio = java.util.Objects.requireNonNull(this.portfolio);
        try {
            assessmentFormat = AssessmentFormat.parse(format);
            ReportOutput.check(output);
            if (!Files.isRegularFile(portfolio)) {
                return fail(portfolio + ": no such file");
            }
            byte[] bytes =
                    ScanCommand.readPolicyFile(portfolio, ScanLimits.defaults().maxMetadataBytes());
            Path absolute = portfolio.toAbsolutePath();
            Path base = absolute.getParent() == null ? absolute.getRoot() : absolute.getParent();
            parsed = new PortfolioParser(base).parse(bytes);
        } catch (IllegalArgumentException | IOException e) {
            return fail(e.getMessage());
        } catch (PortfolioException e) {
            return fail(portfolio + ": " + e.getMessage());
        }
        Consumer<String> progress =
                quiet || !environment.interactive() ? message -> {} : message -> environment.progress(message);
        try (CliDatabase db = new CliDatabase(new VulnerabilityDatabases(database, environment, progress), quiet)) {
            RegistryAccess registries =
                    database.offline ? RegistryAccess.offline() : reference -> registry.client(reference, environment);
            ScanPipeline pipeline = new ScanPipeline(
                    environment.clock(),
                    progress,
                    layerCache.open(database, environment.variables()),
                    CheckCatalog.load(),
                    db,
                    registries,
                    PalisadeCommand.version());
            Assessor assessor = new Assessor(
                    target -> pipeline.scan(new ScanRequest(
                            target,
                            EnumSet.allOf(Scanner.class),
                            ScanLimits.defaults(),
                            ResultPolicy.reportAll(),
                            TrustedSources.NONE,
                            null)),
                    new EvidenceReader(),
                    ModelData.load(),
                    ImageSources.Platform.linux(System.getProperty("os.arch", "amd64")));
            Assessment assessment = assessor.assess(parsed);
            if (!quiet && environment.interactive()) {
                environment.clearProgress();
            }
            ReportOutput.write(output, environment.out(), out -> assessmentFormat.write(assessment, out));
            return 0;
        } catch (SourceException e) {
            return fail(e.getMessage());
        } catch (CliDatabase.DatabaseException e) {
            return fail("vulnerability database: " + e.getMessage());
        } catch (IOException e) {
            return fail(e.getMessage());
        }
    }

    /**
     * The server's assessment of its stored applications, in the format asked for: the server renders it
     * with the same writers. Text for a terminal is escaped again here: it comes from another machine.
     */
    private int fromServer(String url) {
        try {
            AssessmentFormat assessmentFormat = AssessmentFormat.parse(format);
            ReportOutput.check(output);
            String bearer = token != null ? token : environment.variables().get(ServerClientOptions.TOKEN_VARIABLE);
            if (bearer == null || bearer.isBlank()) {
                return fail("--server needs a token: --token TOKEN or $" + ServerClientOptions.TOKEN_VARIABLE);
            }
            byte[] body = ServerClientOptions.get(
                    url,
                    bearer,
                    "/api/v1/assessment?format=" + assessmentFormat.name().toLowerCase(java.util.Locale.ROOT),
                    MAX_SERVER_ANSWER);
            boolean toTerminal = output == null
                    && (assessmentFormat == AssessmentFormat.TABLE || assessmentFormat == AssessmentFormat.MARKDOWN);
            byte[] written = toTerminal ? escapedLines(body) : body;
            ReportOutput.write(output, environment.out(), out -> out.write(written));
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            return fail(e.getMessage());
        }
    }

    private static byte[] escapedLines(byte[] text) {
        StringBuilder escaped = new StringBuilder();
        new String(text, java.nio.charset.StandardCharsets.UTF_8)
                .lines()
                .forEach(line -> escaped.append(TerminalText.escape(line)).append('\n'));
        return escaped.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private int fail(@org.jspecify.annotations.Nullable String message) {
        environment.err().println("palisade: error: " + TerminalText.escape(String.valueOf(message)));
        return PalisadeCommand.EXIT_UNREADABLE;
    }
}
