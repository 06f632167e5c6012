package dev.palisade.assess;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.StructuredText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The data behind an assessment, from {@code responsibility.yaml}: who patches which layer in each
 * model, and the function provider's limits, each with the provider pages it comes from.
 */
public record ModelData(List<String> layers, Map<DeploymentModel, Responsibility> models, FunctionLimits function) {
    public ModelData {
        layers = List.copyOf(layers);
        models = Map.copyOf(models);
    }

    /** The split of one model: layers the team patches and those the provider does. */
    public record Responsibility(String example, List<String> team, List<String> provider, List<String> sources) {
        public Responsibility {
            team = List.copyOf(team);
            provider = List.copyOf(provider);
            sources = List.copyOf(sources);
        }
    }

    /** AWS Lambda's limits: package sizes, supported runtimes, and the ports an HTTP adapter may use. */
    public record FunctionLimits(
            String provider,
            long maxZippedBytes,
            long maxUnzippedBytes,
            long maxImageBytes,
            Set<String> runtimes,
            Set<Integer> httpPorts,
            List<String> sources) {
        public FunctionLimits {
            runtimes = Set.copyOf(runtimes);
            httpPorts = Set.copyOf(httpPorts);
            sources = List.copyOf(sources);
        }
    }

    public Responsibility responsibility(DeploymentModel model) {
        Responsibility r = models.get(model);
        if (r == null) {
            throw new IllegalArgumentException("no responsibility data for " + model);
        }
        return r;
    }

    /** The data shipped with Palisade. */
    public static ModelData load() {
        try (InputStream in = ModelData.class.getResourceAsStream("responsibility.yaml")) {
            if (in == null) {
                throw new IllegalStateException("responsibility.yaml is missing from the class path");
            }
            return parse(StructuredText.yaml(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("responsibility.yaml", e);
        }
    }

    static ModelData parse(JsonNode root) {
        List<String> layers = texts(root.path("layers"));
        Map<DeploymentModel, Responsibility> models = new EnumMap<>(DeploymentModel.class);
        for (DeploymentModel model : List.of(DeploymentModel.VM, DeploymentModel.CONTAINER, DeploymentModel.FUNCTION)) {
            JsonNode node = root.path("models").path(model.name().toLowerCase(Locale.ROOT));
            Responsibility r = new Responsibility(
                    node.path("example").asText(),
                    texts(node.path("team")),
                    texts(node.path("provider")),
                    texts(node.path("sources")));
            Set<String> covered = new TreeSet<>(r.team());
            covered.addAll(r.provider());
            if (!covered.equals(new TreeSet<>(layers))
                    || r.team().size() + r.provider().size() != layers.size()) {
                throw new IllegalStateException(
                        "responsibility.yaml: " + model + " must give every layer to exactly one of team and provider");
            }
            models.put(model, r);
        }
        JsonNode f = root.path("limits").path("function");
        List<Integer> ports = new ArrayList<>();
        f.path("httpPorts").forEach(p -> ports.add(p.asInt()));
        FunctionLimits limits = new FunctionLimits(
                f.path("provider").asText(),
                f.path("maxZippedBytes").asLong(),
                f.path("maxUnzippedBytes").asLong(),
                f.path("maxImageBytes").asLong(),
                Set.copyOf(texts(f.path("runtimes"))),
                Set.copyOf(ports),
                texts(f.path("sources")));
        return new ModelData(layers, models, limits);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
