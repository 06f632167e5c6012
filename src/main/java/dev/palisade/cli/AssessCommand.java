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
            paramLabel = "PORTFOLIO",
            description = "The portfolio file (YAML: applications, deployments).")
    Path portfolio;

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

    @Override
    public Integer call() {
        AssessmentFormat assessmentFormat;
        Portfolio parsed;
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

    private int fail(@org.jspecify.annotations.Nullable String message) {
        environment.err().println("palisade: error: " + TerminalText.escape(String.valueOf(message)));
        return PalisadeCommand.EXIT_UNREADABLE;
    }
}
