package dev.palisade.report;

import dev.palisade.checks.Misconfiguration;
import dev.palisade.checks.Secrets;
import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Package;
import dev.palisade.match.Finding;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.Layer;
import dev.palisade.source.Problem;
import dev.palisade.source.image.ImageMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Secret values removed from every text a report carries, once, before any writer sees it: image
 * history lines (also where packages name the layer that added them) and labels ({@code ENV DB_PASSWORD=...}, {@code curl -u admin:...}), environment
 * variables, layer lines, check messages and problems (a YAML error quotes the line it failed on).
 * Reports end up in CI logs and artifact stores; a redacted value keeps at most a short prefix.
 */
final class ReportRedaction {
    private ReportRedaction() {}

    static Inventory inventory(Inventory inventory) {
        ArtifactDescription a = inventory.artifact();
        List<Layer> layers = new ArrayList<>();
        for (Layer layer : a.layers()) {
            layers.add(layer.createdBy() == null ? layer : layer.withCreatedBy(text(layer.createdBy())));
        }
        ImageMetadata image = a.image() == null ? null : image(a.image());
        ArtifactDescription artifact = new ArtifactDescription(a.name(), a.kind(), a.model(), layers, image);
        List<Package> packages = new ArrayList<>(inventory.packages().size());
        for (Package p : inventory.packages()) {
            packages.add(pkg(p));
        }
        return new Inventory(artifact, inventory.os(), packages, problems(inventory.problems()));
    }

    /** A package whose locations name the history line of their layer, with that line redacted. */
    static Package pkg(Package p) {
        if (p.locations().stream().noneMatch(l -> l.layerCreatedBy() != null)) {
            return p;
        }
        return p.withLocations(p.locations().stream()
                .map(l -> l.layerCreatedBy() == null ? l : l.inLayer(l.layerDiffId(), text(l.layerCreatedBy())))
                .toList());
    }

    static List<Finding> findings(List<Finding> findings) {
        List<Finding> redacted = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            Package p = pkg(f.pkg());
            redacted.add(p == f.pkg() ? f : f.withPackage(p));
        }
        return redacted;
    }

    static List<Problem> problems(List<Problem> problems) {
        List<Problem> redacted = new ArrayList<>(problems.size());
        for (Problem p : problems) {
            redacted.add(new Problem(p.path(), p.layer(), text(p.reason())));
        }
        return redacted;
    }

    static List<Misconfiguration> misconfigurations(List<Misconfiguration> found) {
        List<Misconfiguration> redacted = new ArrayList<>(found.size());
        for (Misconfiguration m : found) {
            redacted.add(
                    new Misconfiguration(m.check(), m.path(), m.line(), m.keyPath(), m.layer(), text(m.message())));
        }
        return redacted;
    }

    private static ImageMetadata image(ImageMetadata image) {
        List<String> env = new ArrayList<>();
        for (String variable : image.env()) {
            int eq = variable.indexOf('=');
            String name = eq < 0 ? variable : variable.substring(0, eq);
            String value = eq < 0 ? "" : variable.substring(eq + 1);
            env.add(Secrets.isSecret(name, value) ? name + "=" + Secrets.redact(value) : text(variable));
        }
        Map<String, String> labels = new TreeMap<>();
        image.labels().forEach((name, value) -> {
            String redacted = text(name + "=" + value);
            labels.put(name, redacted.startsWith(name + "=") ? redacted.substring(name.length() + 1) : text(value));
        });
        List<ImageMetadata.HistoryEntry> history = new ArrayList<>();
        for (ImageMetadata.HistoryEntry h : image.history()) {
            history.add(new ImageMetadata.HistoryEntry(
                    h.created(), nullableText(h.createdBy()), nullableText(h.comment()), h.emptyLayer()));
        }
        return new ImageMetadata(
                image.imageId(),
                image.repoTags(),
                image.os(),
                image.architecture(),
                image.created(),
                image.user(),
                env,
                texts(image.entrypoint()),
                texts(image.cmd()),
                image.workingDir(),
                image.exposedPorts(),
                image.volumes(),
                new TreeMap<>(labels),
                history);
    }

    private static List<String> texts(List<String> values) {
        return values.stream().map(ReportRedaction::text).toList();
    }

    private static @Nullable String nullableText(@Nullable String value) {
        return value == null ? null : text(value);
    }

    static String text(String value) {
        return Secrets.redactText(value);
    }
}
