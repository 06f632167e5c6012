package dev.palisade.assess.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.assess.Assessment;
import dev.palisade.assess.ModelData;
import dev.palisade.assess.SecurityProfile;
import dev.palisade.match.Severity;
import dev.palisade.source.DeploymentModel;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The assessment as JSON, {@code schemaVersion} 1; the fields are documented in the README. */
final class JsonAssessmentWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    void write(Assessment assessment, OutputStream out) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schemaVersion", 1);
        ArrayNode applications = root.putArray("applications");
        for (Assessment.ApplicationAssessment a : assessment.applications()) {
            ObjectNode app = applications.addObject();
            app.put("name", a.name());
            app.put("owner", a.owner());
            ArrayNode profiles = app.putArray("profiles");
            a.profiles().forEach(p -> profile(p, profiles.addObject()));
            ArrayNode checks = app.putArray("models");
            for (Assessment.ModelCheck check : a.checks()) {
                ObjectNode c = checks.addObject();
                c.put("model", name(check.target()));
                c.put("blocked", check.blocked());
                c.put("examined", check.examined());
                ArrayNode blockers = c.putArray("blockers");
                for (Assessment.Blocker b : check.blockers()) {
                    ObjectNode bn = blockers.addObject();
                    bn.put("kind", b.kind());
                    bn.put("detail", b.detail());
                    bn.put("evidence", b.evidence());
                }
                strings(c.putArray("unknown"), check.unknown());
            }
            ObjectNode r = app.putObject("recommendation");
            r.put("current", name(a.recommendation().current()));
            r.put("recommended", name(a.recommendation().recommended()));
            r.put("summary", a.recommendation().summary());
            if (a.recommendation().reduction() == null) {
                r.putNull("reduction");
            } else {
                reduction(a.recommendation().reduction(), r.putObject("reduction"));
            }
        }
        Assessment.Totals t = assessment.totals();
        ObjectNode totals = root.putObject("totals");
        totals.put("applications", t.applications());
        pair(totals, "osPackages", t.osPackagesNow(), t.osPackagesAfter());
        pair(totals, "vulnerabilities", t.vulnerabilitiesNow(), t.vulnerabilitiesAfter());
        pair(totals, "knownExploited", t.knownExploitedNow(), t.knownExploitedAfter());
        pair(totals, "networkServices", t.networkServicesNow(), t.networkServicesAfter());
        pair(totals, "riskScore", t.riskScoreNow(), t.riskScoreAfter());
        ArrayNode ranking = root.putArray("ranking");
        for (Assessment.Migration m : assessment.ranking()) {
            ObjectNode n = ranking.addObject();
            n.put("application", m.application());
            n.put("from", name(m.from()));
            n.put("to", name(m.to()));
            n.put("blocked", m.blocked());
            n.put("examined", m.examined());
            reduction(m.reduction(), n.putObject("reduction"));
        }
        ObjectNode responsibility = root.putObject("responsibility");
        for (DeploymentModel model : List.of(DeploymentModel.VM, DeploymentModel.CONTAINER, DeploymentModel.FUNCTION)) {
            ModelData.Responsibility split = assessment.data().responsibility(model);
            ObjectNode n = responsibility.putObject(name(model));
            n.put("example", split.example());
            strings(n.putArray("team"), split.team());
            strings(n.putArray("provider"), split.provider());
            strings(n.putArray("sources"), split.sources());
        }
        MAPPER.writeValue(new NonClosing(out), root);
        out.write('\n');
    }

    private static void profile(SecurityProfile p, ObjectNode n) {
        n.put("model", name(p.model()));
        n.put("artifact", p.artifact());
        n.put("osPackages", p.osPackages());
        n.put("applicationLibraries", p.applicationLibraries());
        if (p.vulnerabilities() == null) {
            n.putNull("vulnerabilities");
        } else {
            ObjectNode v = n.putObject("vulnerabilities");
            v.put("total", p.vulnerabilityCount());
            for (Severity s : Severity.values()) {
                v.put(s.name().toLowerCase(Locale.ROOT), p.vulnerabilities(s));
            }
        }
        n.put("knownExploited", p.knownExploited());
        n.put("overdue", p.overdue());
        if (p.networkServices() == null) {
            n.putNull("networkServices");
        } else {
            strings(n.putArray("networkServices"), p.networkServices());
        }
        if (p.daemons() == null) {
            n.putNull("daemons");
        } else {
            n.put("daemons", p.daemons());
        }
        if (p.runsAsRoot() == null) {
            n.putNull("runsAsRoot");
        } else {
            n.put("runsAsRoot", p.runsAsRoot());
        }
        n.put("capabilities", p.capabilities());
        n.put("iamWildcards", p.iamWildcards());
        n.put("hardeningFindings", p.hardeningFindings());
        n.put("secrets", p.secrets());
        n.put("riskScore", p.riskScore());
        strings(n.putArray("teamPatches"), p.team());
        strings(n.putArray("providerPatches"), p.provider());
    }

    private static void reduction(Assessment.Reduction r, ObjectNode n) {
        n.put("osPackages", r.osPackages());
        n.put("applicationLibraries", r.applicationLibraries());
        n.put("vulnerabilities", r.vulnerabilities());
        n.put("knownExploited", r.knownExploited());
        n.put("networkServices", r.networkServices());
        n.put("secrets", r.secrets());
        n.put("hardeningFindings", r.hardeningFindings());
        n.put("riskScore", r.riskScore());
    }

    /** Jackson writes a null Integer as null: unknown. */
    private static void pair(ObjectNode totals, String field, @Nullable Integer now, @Nullable Integer after) {
        ObjectNode n = totals.putObject(field);
        n.put("now", now);
        n.put("afterRecommendations", after);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    static String name(DeploymentModel model) {
        return model.name().toLowerCase(Locale.ROOT);
    }

    /** Jackson closes the stream it writes to; the caller owns it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
