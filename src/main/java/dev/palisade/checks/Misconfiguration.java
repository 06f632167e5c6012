package dev.palisade.checks;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A check that failed, and where: the file (or the image config), the line, the key path in a
 * structured document, the layer, and what exactly was found.
 *
 * @param line 1-based line, 0 when the finding has no line (an image config, a file's mode)
 * @param keyPath where in a YAML/JSON document ({@code spec.template.spec.containers[0].securityContext})
 */
public record Misconfiguration(
        CheckMetadata check, String path, int line, String keyPath, @Nullable String layer, String message) {
    public Misconfiguration {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(keyPath, "keyPath");
        Objects.requireNonNull(message, "message");
    }

    /** Stable identity for suppressions and diffs: check id and location. */
    public String key() {
        return check.id() + "|" + path + "|" + line + "|" + keyPath;
    }
}
