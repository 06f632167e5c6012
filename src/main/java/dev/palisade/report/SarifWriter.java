package dev.palisade.report;

import com.contrastsecurity.sarif.ArtifactLocation;
import com.contrastsecurity.sarif.Location;
import com.contrastsecurity.sarif.Message;
import com.contrastsecurity.sarif.MultiformatMessageString;
import com.contrastsecurity.sarif.PartialFingerprints;
import com.contrastsecurity.sarif.PhysicalLocation;
import com.contrastsecurity.sarif.PropertyBag;
import com.contrastsecurity.sarif.ReportingConfiguration;
import com.contrastsecurity.sarif.ReportingDescriptor;
import com.contrastsecurity.sarif.Result;
import com.contrastsecurity.sarif.Run;
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

/**
 * SARIF 2.1.0 for code-scanning UIs, written with the java-sarif object model (generated from the
 * SARIF schema). One rule per vulnerability with GitHub's {@code security-severity} property, one
 * result per finding located at the file the package was found in, with a stable fingerprint.
 */
public final class SarifWriter implements ReportWriter {
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
            results.add(new Result()
                    .withRuleId(m.check().id())
                    .withRuleIndex(index)
                    .withLevel(resultLevel(m.check().severity()))
                    .withMessage(new Message().withText(m.message()))
                    .withLocations(List.of(location(m)))
                    .withPartialFingerprints(new PartialFingerprints().withAdditionalProperty("palisade/v1", m.key())));
        }
        ToolComponent driver = new ToolComponent()
                .withName("Palisade")
                .withVersion(report.toolVersion())
                .withRules(rules);
        Run run = new Run().withTool(new Tool().withDriver(driver)).withResults(results);
        SarifSchema210 sarif = new SarifSchema210()
                .with$schema(SCHEMA)
                .withVersion(SarifSchema210.Version._2_1_0)
                .withRuns(List.of(run));
        JSON.writeValue(out, sarif);
        out.write('\n');
        out.flush();
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

    private static Location location(Misconfiguration m) {
        PhysicalLocation physical =
                new PhysicalLocation().withArtifactLocation(new ArtifactLocation().withUri(uri(m.path())));
        if (m.line() > 0) {
            physical.withRegion(new com.contrastsecurity.sarif.Region().withStartLine(m.line()));
        }
        return new Location()
                .withPhysicalLocation(physical)
                .withMessage(
                        new Message().withText(m.keyPath().isEmpty() ? m.check().title() : m.keyPath()));
    }

    private static Result result(Finding f, int ruleIndex, ScanReport report) {
        String path = f.pkg().locations().isEmpty()
                ? report.inventory().artifact().name()
                : f.pkg().locations().get(0).path();
        String text = "Package " + f.pkg().name() + " " + f.pkg().version() + " is affected by " + f.id()
                + (f.nearestFix() != null ? "; fixed in " + f.nearestFix() : "; no fix yet")
                + (f.kev() != null ? "; known to be exploited (CISA KEV)" : "")
                + (f.status() == Finding.Status.NOT_COMPARED ? " (version not compared: " + f.note() + ")" : "") + ".";
        return new Result()
                .withRuleId(f.id())
                .withRuleIndex(ruleIndex)
                .withLevel(resultLevel(f.severity()))
                .withMessage(new Message().withText(text))
                .withLocations(List.of(new Location()
                        .withPhysicalLocation(new PhysicalLocation()
                                .withArtifactLocation(new ArtifactLocation().withUri(uri(path.replace("!/", "/")))))
                        .withMessage(new Message().withText(f.pkg().purl()))))
                .withPartialFingerprints(new PartialFingerprints().withAdditionalProperty("palisade/v1", f.key()));
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
