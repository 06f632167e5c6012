package dev.palisade.assess;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.source.DeploymentModel;
import dev.palisade.source.StructuredText;
import dev.palisade.source.image.ImageReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a portfolio file:
 *
 * <pre>
 * applications:
 *   - name: shop
 *     owner: team-payments          # optional
 *     deployments:
 *       - model: vm
 *         rootfs: /mnt/shop-vm
 *       - model: container
 *         image: shop.tar           # or a registry reference
 *         config: k8s/              # optional: compose or Kubernetes files
 *       - model: function
 *         package: shop-lambda.zip
 *         template: template.yaml   # optional
 * </pre>
 *
 * Relative paths are resolved against the portfolio file's directory. Unknown keys and models are
 * errors, never ignored: a misspelt {@code templat:} must not silently assess without the template.
 */
public final class PortfolioParser {
    private static final Set<String> TOP_KEYS = Set.of("applications");
    private static final Set<String> APPLICATION_KEYS = Set.of("name", "owner", "deployments");
    private static final Map<DeploymentModel, Set<String>> DEPLOYMENT_KEYS = Map.of(
            DeploymentModel.VM, Set.of("model", "rootfs"),
            DeploymentModel.CONTAINER, Set.of("model", "image", "config"),
            DeploymentModel.FUNCTION, Set.of("model", "package", "template"));

    private final Path baseDirectory;

    /** @param baseDirectory the portfolio file's directory, against which relative paths resolve */
    public PortfolioParser(Path baseDirectory) {
        this.baseDirectory = baseDirectory;
    }

    public Portfolio parse(byte[] yaml) throws PortfolioException {
        JsonNode root;
        try {
            root = StructuredText.yaml(yaml);
        } catch (IOException e) {
            throw new PortfolioException("not a YAML document: " + e.getMessage());
        }
        if (!root.isObject()) {
            throw new PortfolioException("expected a mapping with 'applications' at the top");
        }
        keys(root, TOP_KEYS, "the top level");
        JsonNode applications = root.path("applications");
        if (!applications.isArray() || applications.isEmpty()) {
            throw new PortfolioException("'applications' must be a non-empty list");
        }
        List<Portfolio.Application> parsed = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < applications.size(); i++) {
            Portfolio.Application application = application(applications.get(i), "applications[" + i + "]");
            if (!names.add(application.name())) {
                throw new PortfolioException(
                        "applications[" + i + "]: the name '" + application.name() + "' is used twice");
            }
            parsed.add(application);
        }
        return new Portfolio(parsed);
    }

    private Portfolio.Application application(JsonNode node, String where) throws PortfolioException {
        if (!node.isObject()) {
            throw new PortfolioException(where + ": expected a mapping with name and deployments");
        }
        keys(node, APPLICATION_KEYS, where);
        String name = requiredText(node, "name", where);
        String owner = optionalText(node, "owner", where);
        JsonNode deployments = node.path("deployments");
        if (!deployments.isArray() || deployments.isEmpty()) {
            throw new PortfolioException(where + " (" + name + "): 'deployments' must be a non-empty list");
        }
        List<Portfolio.Deployment> parsed = new ArrayList<>();
        Set<DeploymentModel> seen = EnumSet.noneOf(DeploymentModel.class);
        for (int i = 0; i < deployments.size(); i++) {
            String at = where + ".deployments[" + i + "]";
            Portfolio.Deployment deployment = deployment(deployments.get(i), at);
            if (!seen.add(deployment.model())) {
                throw new PortfolioException(at + ": a second '" + modelName(deployment.model()) + "' deployment for "
                        + name + " (one artifact per model)");
            }
            parsed.add(deployment);
        }
        return new Portfolio.Application(name, owner, parsed);
    }

    private Portfolio.Deployment deployment(JsonNode node, String where) throws PortfolioException {
        if (!node.isObject()) {
            throw new PortfolioException(where + ": expected a mapping with model and its artifact");
        }
        String modelText = requiredText(node, "model", where);
        DeploymentModel model =
                switch (modelText.toLowerCase(Locale.ROOT)) {
                    case "vm" -> DeploymentModel.VM;
                    case "container" -> DeploymentModel.CONTAINER;
                    case "function" -> DeploymentModel.FUNCTION;
                    default ->
                        throw new PortfolioException(
                                where + ": unknown model '" + modelText + "' (use vm, container or function)");
                };
        keys(
                node,
                java.util.Objects.requireNonNull(DEPLOYMENT_KEYS.get(model)),
                where + " (model " + modelName(model) + ")");
        return switch (model) {
            case VM ->
                new Portfolio.Deployment(model, path(requiredText(node, "rootfs", where), where), null, null, null);
            case CONTAINER -> container(node, where);
            default ->
                new Portfolio.Deployment(
                        model,
                        path(requiredText(node, "package", where), where),
                        null,
                        optionalPath(node, "template", where),
                        null);
        };
    }

    private Portfolio.Deployment container(JsonNode node, String where) throws PortfolioException {
        String image = requiredText(node, "image", where);
        Path config = optionalPath(node, "config", where);
        Path local = path(image, where);
        if (Files.exists(local)) {
            return new Portfolio.Deployment(DeploymentModel.CONTAINER, local, null, null, config);
        }
        if (ImageReference.parse(image).isPresent()) {
            return new Portfolio.Deployment(DeploymentModel.CONTAINER, null, image, null, config);
        }
        throw new PortfolioException(where + ": image '" + image
                + "': no such file, and not an image reference (HOST[:PORT]/NAME[:TAG|@DIGEST])");
    }

    private static void keys(JsonNode node, Set<String> allowed, String where) throws PortfolioException {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new PortfolioException(
                        where + ": unknown key '" + key + "' (expected " + String.join(", ", sorted(allowed)) + ")");
            }
        }
    }

    private static List<String> sorted(Set<String> keys) {
        List<String> list = new ArrayList<>(keys);
        list.sort(null);
        return list;
    }

    private static String requiredText(JsonNode node, String key, String where) throws PortfolioException {
        String text = optionalText(node, key, where);
        if (text == null) {
            throw new PortfolioException(where + ": '" + key + "' is required");
        }
        return text;
    }

    private static @Nullable String optionalText(JsonNode node, String key, String where) throws PortfolioException {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode() || value.asText().isBlank()) {
            throw new PortfolioException(where + ": '" + key + "' must be a non-empty text");
        }
        return value.asText();
    }

    private @Nullable Path optionalPath(JsonNode node, String key, String where) throws PortfolioException {
        String text = optionalText(node, key, where);
        return text == null ? null : path(text, where);
    }

    private Path path(String text, String where) throws PortfolioException {
        try {
            return baseDirectory.resolve(text).normalize();
        } catch (InvalidPathException e) {
            throw new PortfolioException(where + ": not a path: '" + text + "'");
        }
    }

    static String modelName(DeploymentModel model) {
        return model.name().toLowerCase(Locale.ROOT);
    }
}
