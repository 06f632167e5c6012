package dev.palisade.report;

import com.contrastsecurity.sarif.ArtifactLocation;
import com.contrastsecurity.sarif.Invocation;
import com.contrastsecurity.sarif.Location;
import com.contrastsecurity.sarif.Message;
import com.contrastsecurity.sarif.MultiformatMessageString;
import com.contrastsecurity.sarif.Notification;
import com.contrastsecurity.sarif.PartialFingerprints;
import com.contrastsecurity.sarif.PhysicalLocation;
import com.contrastsecurity.sarif.PropertyBag;
import com.contrastsecurity.sarif.Region;
import com.contrastsecurity.sarif.ReportingConfiguration;
import com.contrastsecurity.sarif.ReportingDescriptor;
import com.contrastsecurity.sarif.Result;
import com.contrastsecurity.sarif.Run;
import com.contrastsecurity.sarif.RunAutomationDetails;
import com.contrastsecurity.sarif.SarifSchema210;
import com.contrastsecurity.sarif.Tool;
import com.contrastsecurity.sarif.ToolComponent;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.palisade.checks.Misconfiguration;
import dev.palisade.match.Finding;
import dev.palisade.match.Severity;
import dev.palisade.source.Problem;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * SARIF 2.1.0 for code-scanning UIs, written with the java-sarif object model (generated from the
 * SARIF schema). One rule per vulnerability with GitHub's {@code security-severity} property, one
 * result per finding located at the file the package was found in, with a stable fingerprint.
 * Every result has a region (code-scanning UIs drop or misplace results without one): the line the
 * check found, else line 1. With the Dockerfile an image was built from, the image's results point at
 * the Dockerfile line that brought them in, and say where in the image they were found.
 */
public final class SarifWriter implements ReportWriter {
    /** Between the path of an archive and the path of a member inside it. */
    private static final String NESTED = "!/";

    private static final String IMAGE_CONFIG = "image config ";

    private final @Nullable DockerfileLines dockerfile;

    public SarifWriter() {
        this(null);
    }

    /** @param dockerfile the Dockerfile the scanned image was built from, or null */
    public SarifWriter(@Nullable DockerfileLines dockerfile) {
        this.dockerfile = dockerfile;
    }

    static final URI SCHEMA = URI.create("https://json.schemastore.org/sarif-2.1.0.json");
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_EMPTY)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    @Override
    public String format() {
        return "sarif";
    }

    @Override
    public void write(ScanReport report, OutputStream out) throws IOException {
        List<Finding> findings = report.findings().orElse(List.of());
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        Set<ReportingDescriptor> rules = new LinkedHashSet<>();
        List<Result> results = new ArrayList<>();
        for (Finding f : findings) {
            Integer index = ruleIndex.get(f.id());
            if (index == null) {
                index = ruleIndex.size();
                ruleIndex.put(f.id(), index);
                rules.add(rule(f));
            }
            results.add(result(f, index, report));
        }
        for (Misconfiguration m : report.misconfigurationsOptional().orElse(List.of())) {
            Integer index = ruleIndex.get(m.check().id());
            if (index == null) {
                index = ruleIndex.size();
                ruleIndex.put(m.check().id(), index);
                rules.add(checkRule(m));
            }
            results.add(checkResult(m, index, report));
        }
        ToolComponent driver = new ToolComponent()
                .withName("Palisade")
                .withVersion(report.toolVersion())
                .withRules(rules);
        Run run = new Run()
                .withTool(new Tool().withDriver(driver))
                .withInvocations(List.of(invocation(report)))
                .withAutomationDetails(automationDetails(report))
                .withResults(results);
        SarifSchema210 sarif = new SarifSchema210()
                .with$schema(SCHEMA)
                .withVersion(SarifSchema210.Version._2_1_0)
                .withRuns(List.of(run));
        JSON.writeValue(out, sarif);
        out.write('\n');
        out.flush();
    }

    /**
     * The run, with what it could not read, match or check as tool notifications: a code-scanning UI that shows no
     * results must also be able to show that the scan did not see everything.
     */
    private static Invocation invocation(ScanReport report) {
        List<Notification> notifications = new ArrayList<>();
        for (Problem problem : report.allProblems()) {
            notifications.add(new Notification()
                    .withLevel(Notification.Level.WARNING)
                    .withMessage(new Message().withText(problem.path() + ": " + problem.reason())));
        }
        return new Invocation().withExecutionSuccessful(true).withToolExecutionNotifications(notifications);
    }

    private static ReportingDescriptor rule(Finding f) {
        StringBuilder help = new StringBuilder();
        help.append("**").append(f.id()).append("** ").append(f.title()).append("\n\n");
        help.append("| Severity | Ids | Fixed in |\n| --- | --- | --- |\n");
        help.append("| ")
                .append(f.severity())
                .append(" (")
                .append(f.severitySource())
                .append(") | ")
                .append(String.join(", ", f.ids()))
                .append(" | ")
                .append(f.nearestFix() == null ? "no fix yet" : String.join(", ", f.fixedVersions()))
                .append(" |\n");
        f.kevEntry().ifPresent(kev -> help.append("\nListed in CISA's Known Exploited Vulnerabilities catalog since ")
                .append(kev.dateAdded())
                .append(".\n"));
        PropertyBag properties = new PropertyBag()
                .withTags(new LinkedHashSet<>(
                        List.of("vulnerability", "security", f.severity().name())));
        if (f.cvss() != null) {
            properties.withAdditionalProperty(
                    "security-severity",
                    String.format(Locale.ROOT, "%.1f", f.cvss().baseScore()));
        } else if (f.severity() != Severity.UNKNOWN) {
            properties.withAdditionalProperty(
                    "security-severity",
                    switch (f.severity()) {
                        case CRITICAL -> "9.0";
                        case HIGH -> "7.0";
                        case MEDIUM -> "4.0";
                        default -> "0.1";
                    });
        }
        properties.withAdditionalProperty("precision", "very-high");
        ReportingDescriptor rule = new ReportingDescriptor()
                .withId(f.id())
                .withName(f.id())
                .withShortDescription(new MultiformatMessageString().withText(f.title()))
                .withFullDescription(new MultiformatMessageString().withText(f.title()))
                .withHelp(
                        new MultiformatMessageString().withText(help.toString()).withMarkdown(help.toString()))
                .withDefaultConfiguration(new ReportingConfiguration().withLevel(configurationLevel(f.severity())))
                .withProperties(properties);
        if (!f.references().isEmpty()) {
            try {
                rule.withHelpUri(URI.create(f.references().get(0)));
            } catch (IllegalArgumentException ignored) {
                // a reference that is not a URI stays in the help text only
            }
        }
        return rule;
    }

    private static ReportingDescriptor checkRule(Misconfiguration m) {
        String help = m.check().why() + "\n\nFix: " + m.check().fix() + "\n\nReferences: "
                + String.join(", ", m.check().references());
        return new ReportingDescriptor()
                .withId(m.check().id())
                .withName(m.check().id())
                .withShortDescription(
                        new MultiformatMessageString().withText(m.check().title()))
                .withFullDescription(
                        new MultiformatMessageString().withText(m.check().why()))
                .withHelp(new MultiformatMessageString().withText(help).withMarkdown(help))
                .withDefaultConfiguration(new ReportingConfiguration()
                        .withLevel(configurationLevel(m.check().severity())))
                .withProperties(new PropertyBag()
                        .withTags(new LinkedHashSet<>(List.of(
                                "misconfiguration",
                                "security",
                                m.check().severity().name())))
                        .withAdditionalProperty(
                                "security-severity",
                                switch (m.check().severity()) {
                                    case CRITICAL -> "9.0";
                                    case HIGH -> "7.0";
                                    case MEDIUM -> "4.0";
                                    default -> "0.1";
                                }));
    }

    /**
     * Identifies the run as {@code category/instance}, as GitHub reads it: the category (tool, kind and
     * target) stays the same from one scan of a target to the next, so new results replace the last
     * ones; the instance names the tool version and the time of this run.
     */
    static RunAutomationDetails automationDetails(ScanReport report) {
        String kind = report.inventory().artifact().kind().name().toLowerCase(Locale.ROOT);
        String target = report.inventory().artifact().name();
        String instance = "palisade-" + report.toolVersion() + "@" + report.createdAt();
        return new RunAutomationDetails()
                .withId("palisade/" + kind + "/" + target + "/" + instance.replace('/', '_'))
                .withDescription(new Message()
                        .withText("Palisade " + report.toolVersion() + " scan of " + kind + " " + target + " at "
                                + report.createdAt()));
    }

    private Result checkResult(Misconfiguration m, int ruleIndex, ScanReport report) {
        Location found = location(m.path(), Math.max(1, m.line()))
                .withMessage(
                        new Message().withText(m.keyPath().isEmpty() ? m.check().title() : m.keyPath()));
        String text = m.message() + nestedNote(m.path());
        Result result = new Result()
                .withRuleId(m.check().id())
                .withRuleIndex(ruleIndex)
                .withLevel(resultLevel(m.check().severity()))
                .withPartialFingerprints(new PartialFingerprints().withAdditionalProperty("palisade/v1", m.key()));
        if (dockerfile != null && report.inventory().artifact().image() != null) {
            int line = m.path().startsWith(IMAGE_CONFIG) && m.line() == 0
                    ? dockerfile.lineOfConfig(m.keyPath())
                    : dockerfile.lineOfLayer(
                            m.layer(), report.inventory().artifact().layers());
            String where = m.path() + (m.line() > 0 ? ":" + m.line() : "");
            return result.withMessage(new Message().withText(text + " (in the image: " + where + ")"))
                    .withLocations(List.of(location(dockerfile.uri(), line)
                            .withMessage(new Message().withText(m.check().title()))))
                    .withRelatedLocations(new LinkedHashSet<>(List.of(found.withId(1))));
        }
        return result.withMessage(new Message().withText(text)).withLocations(List.of(found));
    }

    private Result result(Finding f, int ruleIndex, ScanReport report) {
        dev.palisade.inventory.@Nullable Location first =
                f.pkg().locations().isEmpty() ? null : f.pkg().locations().get(0);
        String path = first == null ? report.inventory().artifact().name() : first.path();
        String text = "Package " + f.pkg().name() + " " + f.pkg().version() + " is affected by " + f.id()
                + (f.nearestFix() != null ? "; fixed in " + f.nearestFix() : "; no fix yet")
                + (f.kev() != null ? "; known to be exploited (CISA KEV)" : "")
                + (f.status() == Finding.Status.NOT_COMPARED ? " (version not compared: " + f.note() + ")" : "") + "."
                + nestedNote(path);
        Location found =
                location(path, 1).withMessage(new Message().withText(f.pkg().purl()));
        Result result = new Result()
                .withRuleId(f.id())
                .withRuleIndex(ruleIndex)
                .withLevel(resultLevel(f.severity()))
                .withPartialFingerprints(new PartialFingerprints().withAdditionalProperty("palisade/v1", f.key()));
        if (dockerfile != null && report.inventory().artifact().image() != null) {
            int line = dockerfile.lineOfLayer(
                    first == null ? null : first.layerDiffId(),
                    report.inventory().artifact().layers());
            return result.withMessage(new Message().withText(text + " Found in the image at " + path + "."))
                    .withLocations(List.of(location(dockerfile.uri(), line)
                            .withMessage(new Message().withText(f.pkg().purl()))))
                    .withRelatedLocations(new LinkedHashSet<>(List.of(found.withId(1))));
        }
        return result.withMessage(new Message().withText(text)).withLocations(List.of(found));
    }

    /**
     * A location in a file that exists: the outermost archive of a nested path ({@code app.jar} for
     * {@code app.jar!/BOOT-INF/lib/x.jar}), whose members no code-scanning tool can open.
     */
    private static Location location(String path, int line) {
        int nested = path.indexOf(NESTED);
        String file = nested < 0 ? path : path.substring(0, nested);
        return new Location()
                .withPhysicalLocation(new PhysicalLocation()
                        .withArtifactLocation(new ArtifactLocation().withUri(uri(file)))
                        .withRegion(new Region().withStartLine(line)));
    }

    /** What {@code app.jar!/BOOT-INF/lib/x.jar} means, for people who have not met the notation. */
    static String nestedNote(String path) {
        int nested = path.lastIndexOf(NESTED);
        if (nested < 0) {
            return "";
        }
        String outermost = path.substring(0, path.indexOf(NESTED));
        return " " + path + " is " + path.substring(nested + NESTED.length()) + " inside "
                + path.substring(0, nested) + (path.indexOf(NESTED) == nested ? "" : ", itself inside " + outermost)
                + ": each !/ steps into an archive (a jar, war or zip).";
    }

    /** A path as an RFC 3986 URI reference: characters a URI cannot hold are percent-encoded. */
    static String uri(String path) {
        try {
            return new URI(null, null, path, null).getRawPath();
        } catch (java.net.URISyntaxException e) {
            return path.replaceAll("[^A-Za-z0-9._~/-]", "_");
        }
    }

    private static Result.Level resultLevel(Severity severity) {
        return switch (severity) {
            case CRITICAL, HIGH -> Result.Level.ERROR;
            case MEDIUM -> Result.Level.WARNING;
            default -> Result.Level.NOTE;
        };
    }

    private static ReportingConfiguration.Level configurationLevel(Severity severity) {
        return switch (severity) {
            case CRITICAL, HIGH -> ReportingConfiguration.Level.ERROR;
            case MEDIUM -> ReportingConfiguration.Level.WARNING;
            default -> ReportingConfiguration.Level.NOTE;
        };
    }
}
