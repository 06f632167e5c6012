package dev.palisade.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.source.StructuredText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks on Kubernetes workloads: Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob,
 * in multi-document YAML or JSON and in {@code List} objects; every container, init container and
 * ephemeral container, with the pod-level settings they inherit.
 */
public final class KubernetesChecks {
    private static final Set<String> WORKLOADS =
            Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController");
    private static final Set<String> DANGEROUS = Set.of(
            "ALL",
            "SYS_ADMIN",
            "NET_ADMIN",
            "SYS_PTRACE",
            "SYS_MODULE",
            "DAC_READ_SEARCH",
            "SYS_RAWIO",
            "SYS_BOOT",
            "NET_RAW",
            "BPF",
            "PERFMON",
            "SYS_TIME");
    private static final List<String> WORST_HOST_PATHS = List.of(
            "/",
            "/var/run/docker.sock",
            "/run/containerd/containerd.sock",
            "/dev",
            "/proc",
            "/sys",
            "/etc",
            "/var/lib/kubelet",
            "/root");

    private final CheckCatalog catalog;
    private final TrustedSources trusted;

    public KubernetesChecks(CheckCatalog catalog) {
        this(catalog, TrustedSources.NONE);
    }

    /** @param trusted the registries images may come from, and whether they must be pinned by digest */
    public KubernetesChecks(CheckCatalog catalog, TrustedSources trusted) {
        this.catalog = catalog;
        this.trusted = trusted;
    }

    /** True when a document looks like a Kubernetes object. */
    public static boolean isKubernetes(JsonNode document) {
        return document.isObject() && document.hasNonNull("apiVersion") && document.hasNonNull("kind");
    }

    public List<Misconfiguration> evaluate(String path, List<JsonNode> documents) {
        return evaluate(path, documents, new ArrayList<>());
    }

    /**
     * @param seccomp receives each container's seccomp profile (what it names, and where), for the
     *     comparison with a learned profile
     */
    public List<Misconfiguration> evaluate(String path, List<JsonNode> documents, List<SeccompReference> seccomp) {
        Found found = new Found(new ArrayList<>(), seccomp);
        for (int d = 0; d < documents.size(); d++) {
            evaluateObject(path, documents.get(d), documents.size() > 1 ? "[" + d + "]" : "", found, 0);
        }
        return found.misconfigurations();
    }

    /** What the walk collects: the findings, and the seccomp profile each container runs under. */
    private record Found(List<Misconfiguration> misconfigurations, List<SeccompReference> seccomp) {}

    private void evaluateObject(String path, JsonNode object, String prefix, Found found, int depth) {
        if (!isKubernetes(object) || depth > 4) {
            return;
        }
        String kind = StructuredText.text(object, "kind");
        String name = kind + "/" + object.path("metadata").path("name").asText("?");
        switch (kind) {
            case "List" -> {
                JsonNode items = object.path("items");
                for (int i = 0; i < items.size(); i++) {
                    evaluateObject(path, items.path(i), prefix + "items[" + i + "].", found, depth + 1);
                }
            }
            case "Pod" -> pod(path, name, object.path("spec"), object.path("metadata"), prefix + "spec", found);
            case "CronJob" ->
                pod(
                        path,
                        name,
                        object.path("spec")
                                .path("jobTemplate")
                                .path("spec")
                                .path("template")
                                .path("spec"),
                        object.path("spec")
                                .path("jobTemplate")
                                .path("spec")
                                .path("template")
                                .path("metadata"),
                        prefix + "spec.jobTemplate.spec.template.spec",
                        found);
            default -> {
                if (WORKLOADS.contains(kind)) {
                    pod(
                            path,
                            name,
                            object.path("spec").path("template").path("spec"),
                            object.path("spec").path("template").path("metadata"),
                            prefix + "spec.template.spec",
                            found);
                }
            }
        }
    }

    private void pod(String path, String name, JsonNode spec, JsonNode metadata, String at, Found out) {
        List<Misconfiguration> found = out.misconfigurations();
        if (!spec.isObject()) {
            return;
        }
        JsonNode podContext = spec.path("securityContext");
        for (String namespace : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (spec.path(namespace).asBoolean(false)) {
                add(found, "PAL-3006", path, at + "." + namespace, name + ": " + namespace + ": true");
            }
        }
        JsonNode volumes = spec.path("volumes");
        for (int v = 0; v < volumes.size(); v++) {
            JsonNode hostPath = volumes.path(v).path("hostPath");
            if (hostPath.isObject()) {
                String mounted = hostPath.path("path").asText("");
                boolean worst = WORST_HOST_PATHS.contains(
                        mounted.replaceAll("/+$", "").isEmpty() ? "/" : mounted.replaceAll("/+$", ""));
                add(
                        found,
                        "PAL-3005",
                        path,
                        at + ".volumes[" + v + "].hostPath",
                        name + ": hostPath " + mounted + (worst ? " (gives away the host)" : ""));
            }
        }
        if (!spec.path("automountServiceAccountToken").isBoolean()
                || spec.path("automountServiceAccountToken").asBoolean()) {
            add(
                    found,
                    "PAL-3010",
                    path,
                    at + ".automountServiceAccountToken",
                    name + ": service account token mounted automatically");
        }
        for (String group : List.of("initContainers", "containers", "ephemeralContainers")) {
            JsonNode containers = spec.path(group);
            // path(c), not get(c): a mapping where a list belongs has a size but no element c
            for (int c = 0; c < containers.size(); c++) {
                if (!containers.path(c).isObject()) {
                    continue;
                }
                container(path, name, containers.path(c), podContext, metadata, at + "." + group + "[" + c + "]", out);
            }
        }
    }

    private void container(
            String path, String pod, JsonNode container, JsonNode podContext, JsonNode metadata, String at, Found out) {
        List<Misconfiguration> found = out.misconfigurations();
        String name = pod + " container " + container.path("name").asText("?");
        JsonNode context = container.path("securityContext");
        if (context.path("privileged").asBoolean(false)) {
            add(found, "PAL-3001", path, at + ".securityContext.privileged", name + ": privileged: true");
        }
        JsonNode runAsUser = context.has("runAsUser") ? context.path("runAsUser") : podContext.path("runAsUser");
        boolean nonRoot = context.has("runAsNonRoot")
                ? context.path("runAsNonRoot").asBoolean(false)
                : podContext.path("runAsNonRoot").asBoolean(false);
        if (runAsUser.isNumber() && runAsUser.asLong() == 0) {
            add(found, "PAL-3002", path, at + ".securityContext.runAsUser", name + ": runAsUser: 0");
        } else if (!nonRoot && !(runAsUser.isNumber() && runAsUser.asLong() > 0)) {
            add(
                    found,
                    "PAL-3002",
                    path,
                    at + ".securityContext.runAsNonRoot",
                    name + ": neither runAsNonRoot nor a non-zero runAsUser");
        }
        if (!context.path("allowPrivilegeEscalation").isBoolean()
                || context.path("allowPrivilegeEscalation").asBoolean()) {
            add(
                    found,
                    "PAL-3003",
                    path,
                    at + ".securityContext.allowPrivilegeEscalation",
                    name + ": allowPrivilegeEscalation is not false");
        }
        JsonNode capabilities = context.path("capabilities");
        List<String> added = new ArrayList<>();
        capabilities.path("add").forEach(cap -> {
            String c = cap.asText().toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
            if (DANGEROUS.contains(c)) {
                added.add(c);
            }
        });
        boolean dropsAll = false;
        for (JsonNode cap : capabilities.path("drop")) {
            dropsAll |= cap.asText().equalsIgnoreCase("ALL");
        }
        if (!added.isEmpty()) {
            add(
                    found,
                    "PAL-3004",
                    path,
                    at + ".securityContext.capabilities.add",
                    name + ": adds " + String.join(", ", added));
        } else if (!dropsAll) {
            add(
                    found,
                    "PAL-3004",
                    path,
                    at + ".securityContext.capabilities.drop",
                    name + ": does not drop ALL capabilities");
        }
        if (!context.path("readOnlyRootFilesystem").asBoolean(false)) {
            add(
                    found,
                    "PAL-3007",
                    path,
                    at + ".securityContext.readOnlyRootFilesystem",
                    name + ": root file system is writable");
        }
        String seccomp = context.path("seccompProfile")
                .path("type")
                .asText(podContext.path("seccompProfile").path("type").asText(""));
        String legacySeccomp = metadata.path("annotations")
                .path("seccomp.security.alpha.kubernetes.io/pod")
                .asText("");
        out.seccomp().add(seccompReference(path, name, at, context, podContext, legacySeccomp));
        if (seccomp.equalsIgnoreCase("Unconfined") || legacySeccomp.equals("unconfined")) {
            add(found, "PAL-3008", path, at + ".securityContext.seccompProfile", name + ": seccomp Unconfined");
        } else if (seccomp.isEmpty() && legacySeccomp.isEmpty()) {
            add(
                    found,
                    "PAL-3008",
                    path,
                    at + ".securityContext.seccompProfile",
                    name + ": no seccomp profile (RuntimeDefault or Localhost)");
        }
        String apparmor = context.path("appArmorProfile")
                .path("type")
                .asText(metadata.path("annotations")
                        .path("container.apparmor.security.beta.kubernetes.io/"
                                + container.path("name").asText())
                        .asText(""));
        if (apparmor.equalsIgnoreCase("Unconfined")) {
            add(found, "PAL-3012", path, at + ".securityContext.appArmorProfile", name + ": AppArmor unconfined");
        }
        String image = container.path("image").asText("");
        if (!image.isEmpty() && !image.contains("@sha256:")) {
            add(
                    found,
                    "PAL-3009",
                    path,
                    at + ".image",
                    name + ": image " + image + ImageConfigChecks.describeTag(image));
        }
        if (!image.isEmpty()) {
            for (TrustedSources.Violation v : trusted.violations(image)) {
                add(found, v.checkId(), path, at + ".image", name + ": " + v.message());
            }
        }
        JsonNode limits = container.path("resources").path("limits");
        if (!limits.has("cpu") || !limits.has("memory")) {
            add(
                    found,
                    "PAL-3011",
                    path,
                    at + ".resources.limits",
                    name + ": no " + (!limits.has("memory") ? "memory" : "cpu") + " limit");
        }
    }

    /** The profile a container runs under: its own securityContext's, else the pod's, else the annotation's. */
    private static SeccompReference seccompReference(
            String path, String name, String at, JsonNode context, JsonNode podContext, String legacy) {
        JsonNode profile = context.path("seccompProfile").has("type")
                ? context.path("seccompProfile")
                : podContext.path("seccompProfile");
        String type = profile.path("type").asText("");
        String keyPath = at + ".securityContext.seccompProfile";
        if (type.equalsIgnoreCase("Localhost")) {
            return new SeccompReference(
                    path,
                    keyPath,
                    name,
                    SeccompReference.Kind.LOCALHOST,
                    profile.path("localhostProfile").asText(""));
        }
        if (type.equalsIgnoreCase("Unconfined")) {
            return new SeccompReference(path, keyPath, name, SeccompReference.Kind.UNCONFINED, "");
        }
        if (type.equalsIgnoreCase("RuntimeDefault")) {
            return new SeccompReference(path, keyPath, name, SeccompReference.Kind.RUNTIME_DEFAULT, "");
        }
        if (legacy.startsWith("localhost/")) {
            return new SeccompReference(
                    path, keyPath, name, SeccompReference.Kind.LOCALHOST, legacy.substring("localhost/".length()));
        }
        if (legacy.equals("runtime/default") || legacy.equals("docker/default")) {
            return new SeccompReference(path, keyPath, name, SeccompReference.Kind.RUNTIME_DEFAULT, "");
        }
        return new SeccompReference(path, keyPath, name, SeccompReference.Kind.UNSET, "");
    }

    private void add(List<Misconfiguration> found, String id, String path, String keyPath, String message) {
        found.add(new Misconfiguration(catalog.get(id), path, 0, keyPath, null, message));
    }
}
