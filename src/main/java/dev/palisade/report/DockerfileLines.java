package dev.palisade.report;

import dev.palisade.checks.DockerfileParser;
import dev.palisade.source.Layer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The Dockerfile an image was built from, and which of its lines brought in what the scan found in the
 * image: a layer is traced to the RUN, COPY or ADD instruction of the final stage that its history line
 * records, anything from the base image to the final stage's FROM, and image-config settings to the
 * USER, ENV or EXPOSE instruction that set them.
 *
 * @param uri where code-scanning tools find the Dockerfile (relative to the repository when it can be)
 */
public record DockerfileLines(String uri, DockerfileParser.Parsed parsed) {
    private static final List<String> LAYER_KEYWORDS = List.of("RUN", "COPY", "ADD");

    public DockerfileLines {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(parsed, "parsed");
    }

    public static DockerfileLines parse(String uri, String text) {
        return new DockerfileLines(uri, DockerfileParser.parse(text));
    }

    /** The instructions of the stage the image is: those after the last FROM. */
    List<DockerfileParser.Instruction> finalStage() {
        List<DockerfileParser.Instruction> all = parsed.instructions();
        int start = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).keyword().equals("FROM")) {
                start = i;
            }
        }
        return all.subList(start, all.size());
    }

    /** The final stage's FROM line, where the base image's contents come from; 1 without a FROM. */
    public int fromLine() {
        List<DockerfileParser.Instruction> stage = finalStage();
        return !stage.isEmpty() && stage.get(0).keyword().equals("FROM")
                ? stage.get(0).line()
                : 1;
    }

    /**
     * The line of each layer (by diff id) that one of the final stage's RUN, COPY or ADD instructions
     * created, matched in order against the layers' history lines; other layers are the base image's.
     */
    public Map<String, Integer> layerLines(List<Layer> layers) {
        Map<String, Integer> lines = new HashMap<>();
        List<DockerfileParser.Instruction> candidates = finalStage().stream()
                .filter(i -> LAYER_KEYWORDS.contains(i.keyword()))
                .toList();
        int next = 0;
        for (int l = layers.size() - 1; l >= 0 && next < candidates.size(); l--) {
            // from the top layer down: the final stage's instructions made the last layers
            Layer layer = layers.get(l);
            if (layer.diffId() == null || layer.createdBy() == null) {
                continue;
            }
            String history = normalise(layer.createdBy());
            for (int c = candidates.size() - 1 - next; c >= 0; c--) {
                if (matches(candidates.get(c), history)) {
                    lines.put(layer.diffId(), candidates.get(c).line());
                    next = candidates.size() - c;
                    break;
                }
            }
        }
        return lines;
    }

    /** The line of the layer that brought something in; the FROM line for the base image's layers. */
    public int lineOfLayer(@Nullable String diffId, List<Layer> layers) {
        if (diffId == null) {
            return fromLine();
        }
        return layerLines(layers).getOrDefault(diffId, fromLine());
    }

    /**
     * The line that set an image-config value, named as the checks name it ({@code config.User},
     * {@code config.Env.NAME}, {@code config.ExposedPorts.22/tcp}); the FROM line when the final stage
     * does not set it (the base image did).
     */
    public int lineOfConfig(String keyPath) {
        List<DockerfileParser.Instruction> stage = finalStage();
        DockerfileParser.@Nullable Instruction found = null;
        for (DockerfileParser.Instruction instruction : stage) {
            if (setsConfig(instruction, keyPath)) {
                found = instruction;
            }
        }
        return found == null ? fromLine() : found.line();
    }

    private static boolean setsConfig(DockerfileParser.Instruction instruction, String keyPath) {
        String arguments = instruction.arguments().trim();
        switch (instruction.keyword()) {
            case "USER":
                return keyPath.equals("config.User");
            case "ENV":
                if (!keyPath.startsWith("config.Env.")) {
                    return false;
                }
                String name = keyPath.substring("config.Env.".length());
                return (" " + arguments).contains(" " + name + "=")
                        || arguments.equals(name)
                        || arguments.startsWith(name + " ");
            case "EXPOSE":
                if (!keyPath.startsWith("config.ExposedPorts.")) {
                    return false;
                }
                String port = keyPath.substring("config.ExposedPorts.".length()).split("/", -1)[0];
                for (String word : arguments.split("\\s+")) {
                    if (word.split("/", -1)[0].equals(port)) {
                        return true;
                    }
                }
                return false;
            default:
                return false;
        }
    }

    /**
     * Whether a history line records this instruction: BuildKit writes {@code RUN /bin/sh -c ARGS # buildkit}
     * and {@code COPY SRC DEST # buildkit}; the classic builder {@code /bin/sh -c ARGS} and
     * {@code /bin/sh -c #(nop) COPY file:DIGEST in DEST}.
     */
    private static boolean matches(DockerfileParser.Instruction instruction, String history) {
        String arguments = normalise(withoutFlags(instruction.arguments()));
        if (arguments.isEmpty()) {
            return false;
        }
        if (instruction.keyword().equals("RUN")) {
            return !history.contains("#(nop)") && history.contains(arguments);
        }
        String keyword = instruction.keyword().toLowerCase(Locale.ROOT);
        if (!history.toLowerCase(Locale.ROOT).contains(keyword + " ")) {
            return false;
        }
        if (history.contains(arguments)) {
            return true;
        }
        String[] words = arguments.split(" ");
        String destination = words[words.length - 1];
        return history.endsWith(" in " + destination) || history.contains(" in " + destination + " ");
    }

    /** {@code --chown=app:app --from=build} and the like are not in the history line. */
    private static String withoutFlags(String arguments) {
        List<String> kept = new ArrayList<>();
        for (String word : arguments.trim().split("\\s+")) {
            if (!kept.isEmpty() || !word.startsWith("--")) {
                kept.add(word);
            }
        }
        return String.join(" ", kept);
    }

    private static String normalise(String text) {
        return text.replace(" # buildkit", "").trim().replaceAll("\\s+", " ");
    }
}
