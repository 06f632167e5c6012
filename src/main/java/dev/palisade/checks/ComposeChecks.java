package dev.palisade.checks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Checks on docker-compose files: each service's privileges, mounts, namespaces, capabilities and user. */
public final class ComposeChecks {
    private final CheckCatalog catalog;
    private final TrustedSources trusted;

    public ComposeChecks(CheckCatalog catalog) {
        this(catalog, TrustedSources.NONE);
    }

    /** @param trusted the registries images may come from, and whether they must be pinned by digest */
    public ComposeChecks(CheckCatalog catalog, TrustedSources trusted) {
        this.catalog = catalog;
        this.trusted = trusted;
    }

    public static boolean isCompose(String fileName, JsonNode document) {
        String n = fileName.toLowerCase(Locale.ROOT);
        boolean named = n.matches("(docker-)?compose(\\.[\\w-]+)?\\.ya?ml");
        return named && document.path("services").isObject();
    }

    public List<Misconfiguration> evaluate(String path, JsonNode document) {
        return evaluate(path, document, new ArrayList<>());
    }

    /**
     * @param seccomp receives each service's seccomp profile: a file from {@code security_opt}, or the
     *     runtime's default
     */
    public List<Misconfiguration> evaluate(String path, JsonNode document, List<SeccompReference> seccomp) {
        List<Misconfiguration> found = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> services =
                document.path("services").fields();
        while (services.hasNext()) {
            Map.Entry<String, JsonNode> e = services.next();
            String name = "service " + e.getKey();
            String at = "services." + e.getKey();
            JsonNode s = e.getValue();
            String image = s.path("image").asText("");
            if (!image.isEmpty() && !image.contains("$")) {
                for (TrustedSources.Violation v : trusted.violations(image)) {
                    add(found, v.checkId(), path, at + ".image", name + ": " + v.message());
                }
            }
            if (s.path("privileged").asBoolean(false)) {
                add(found, "PAL-3101", path, at + ".privileged", name + ": privileged: true");
            }
            if (s.path("devices").size() > 0) {
                add(found, "PAL-3101", path, at + ".devices", name + ": devices " + s.path("devices"));
            }
            for (JsonNode volume : s.path("volumes")) {
                String source = volume.isTextual()
                        ? volume.asText().split(":", -1)[0]
                        : volume.path("source").asText("");
                if (source.equals("/") || source.equals("/var/run/docker.sock") || source.equals("/run/docker.sock")) {
                    add(found, "PAL-3102", path, at + ".volumes", name + ": mounts " + source);
                }
            }
            for (String key : List.of("network_mode", "pid", "ipc")) {
                if (s.path(key).asText("").equals("host")) {
                    add(found, "PAL-3103", path, at + "." + key, name + ": " + key + ": host");
                }
            }
            if (s.path("cap_add").size() > 0) {
                add(found, "PAL-3104", path, at + ".cap_add", name + ": cap_add " + s.path("cap_add"));
            }
            SeccompReference.Kind seccompKind = SeccompReference.Kind.RUNTIME_DEFAULT;
            String seccompFile = "";
            for (JsonNode option : s.path("security_opt")) {
                String o = option.asText("").replace('=', ':');
                if (o.startsWith("seccomp:")) {
                    String value = option.asText("").substring("seccomp:".length());
                    if (value.equals("unconfined")) {
                        seccompKind = SeccompReference.Kind.UNCONFINED;
                    } else if (!value.isEmpty() && !value.equals("builtin")) {
                        seccompKind = SeccompReference.Kind.LOCALHOST;
                        seccompFile = value;
                    }
                }
                if (o.equals("seccomp:unconfined") || o.equals("apparmor:unconfined")) {
                    add(found, "PAL-3104", path, at + ".security_opt", name + ": security_opt " + option.asText());
                }
            }
            seccomp.add(new SeccompReference(path, at + ".security_opt", name, seccompKind, seccompFile));
            String user = s.path("user").asText("");
            if (user.isEmpty()
                    || user.equals("root")
                    || user.equals("0")
                    || user.startsWith("0:")
                    || user.startsWith("root:")) {
                add(found, "PAL-3105", path, at + ".user", name + (user.isEmpty() ? ": no user" : ": user " + user));
            }
        }
        return found;
    }

    private void add(List<Misconfiguration> found, String id, String path, String keyPath, String message) {
        found.add(new Misconfiguration(catalog.get(id), path, 0, keyPath, null, message));
    }
}
