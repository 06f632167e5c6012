package dev.palisade.trace;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.palisade.trace.TraceProfile.CapabilityNeed;
import dev.palisade.trace.TraceProfile.Endpoint;
import dev.palisade.trace.TraceProfile.Mount;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Writes a {@link TraceProfile} as the files a deployment uses. */
public final class ProfileWriters {
    /** seccomp's errno for calls the profile does not list: EPERM, as in Docker's default profile. */
    public static final int DEFAULT_ERRNO = 1;

    private static final int ENOSYS = 38;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS))
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    /** Characters a systemd path list takes without quoting or specifier expansion. */
    private static final Pattern SYSTEMD_SAFE_PATH = Pattern.compile("/[A-Za-z0-9._/@+:=,-]*");

    private ProfileWriters() {}

    public static void writeProfile(TraceProfile profile, OutputStream out) throws IOException {
        JSON.writeValue(out, profile);
        out.write('\n');
    }

    /**
     * The OCI/Docker seccomp profile: everything seen and the baseline allowed, every other call fails
     * with EPERM; {@code clone3}, when unseen, fails with ENOSYS so that the C library falls back to
     * {@code clone} (as Docker's default profile does).
     */
    public static Map<String, Object> seccomp(TraceProfile profile) {
        List<String> allowed = profile.allowedSyscalls(null);
        Map<String, Object> seccomp = new LinkedHashMap<>();
        seccomp.put("defaultAction", "SCMP_ACT_ERRNO");
        seccomp.put("defaultErrnoRet", DEFAULT_ERRNO);
        seccomp.put("architectures", profile.architectures());
        List<Map<String, Object>> rules = new ArrayList<>();
        Map<String, Object> allow = new LinkedHashMap<>();
        allow.put("names", allowed);
        allow.put("action", "SCMP_ACT_ALLOW");
        rules.add(allow);
        if (!allowed.contains("clone3")) {
            Map<String, Object> clone3 = new LinkedHashMap<>();
            clone3.put("names", List.of("clone3"));
            clone3.put("action", "SCMP_ACT_ERRNO");
            clone3.put("errnoRet", ENOSYS);
            rules.add(clone3);
        }
        seccomp.put("syscalls", rules);
        return seccomp;
    }

    public static void writeSeccomp(TraceProfile profile, OutputStream out) throws IOException {
        JSON.writeValue(out, seccomp(profile));
        out.write('\n');
    }

    /** Kubernetes capability names drop the {@code CAP_} prefix. */
    private static List<String> kubernetesCapabilities(TraceProfile profile) {
        List<String> names = new ArrayList<>();
        for (CapabilityNeed need : profile.capabilities()) {
            names.add(need.capability().substring("CAP_".length()));
        }
        return names;
    }

    /**
     * A container's {@code securityContext}, with the {@code volumeMounts} and {@code volumes} (emptyDir;
     * memory-backed for tmpfs) the writable paths need.
     *
     * @param localhostProfile the seccomp profile's path relative to the kubelet's seccomp directory
     */
    public static void writeKubernetes(TraceProfile profile, String localhostProfile, OutputStream out)
            throws IOException {
        Map<String, Object> capabilities = new LinkedHashMap<>();
        capabilities.put("drop", List.of("ALL"));
        List<String> add = kubernetesCapabilities(profile);
        if (!add.isEmpty()) {
            capabilities.put("add", add);
        }
        Map<String, Object> securityContext = new LinkedHashMap<>();
        boolean changesIdentity = add.contains("SETUID") || add.contains("SETGID");
        securityContext.put("allowPrivilegeEscalation", changesIdentity);
        securityContext.put("readOnlyRootFilesystem", profile.filesystem().readOnlyRootFilesystem());
        securityContext.put("capabilities", capabilities);
        securityContext.put("seccompProfile", Map.of("type", "Localhost", "localhostProfile", localhostProfile));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("securityContext", securityContext);
        List<Map<String, Object>> mounts = new ArrayList<>();
        List<Map<String, Object>> volumes = new ArrayList<>();
        int index = 0;
        for (Mount mount : profile.filesystem().mounts()) {
            if (mount.path().equals("/")) {
                continue;
            }
            String name = "writable-" + index++;
            mounts.add(Map.of("name", name, "mountPath", mount.path()));
            volumes.add(Map.of(
                    "name", name, "emptyDir", mount.kind().equals("tmpfs") ? Map.of("medium", "Memory") : Map.of()));
        }
        if (!mounts.isEmpty()) {
            document.put("volumeMounts", mounts);
            document.put("volumes", volumes);
        }
        out.write(
                "# Learned by palisade trace: merge into the container (securityContext, volumeMounts) and the pod (volumes).\n"
                        .getBytes(StandardCharsets.UTF_8));
        YAML.writeValue(out, document);
    }

    /**
     * A systemd drop-in for the service: the calls allowed, the capabilities bounded, the file system
     * read-only but for the paths written ({@code PrivateTmp=} for /tmp and /var/tmp).
     */
    public static void writeSystemd(TraceProfile profile, OutputStream out) throws IOException {
        StringBuilder unit = new StringBuilder();
        unit.append("# Learned by palisade trace; install as /etc/systemd/system/SERVICE.service.d/palisade.conf\n");
        unit.append("[Service]\n");
        unit.append("SystemCallFilter=")
                .append(String.join(" ", profile.allowedSyscalls(null)))
                .append('\n');
        unit.append("SystemCallErrorNumber=EPERM\n");
        if (profile.architectures().size() == 1) {
            unit.append("SystemCallArchitectures=native\n");
        }
        List<String> capabilities = new ArrayList<>();
        profile.capabilities().forEach(c -> capabilities.add(c.capability()));
        unit.append("CapabilityBoundingSet=")
                .append(String.join(" ", capabilities))
                .append('\n');
        unit.append("ProtectSystem=strict\n");
        List<String> paths = new ArrayList<>();
        boolean privateTmp = false;
        for (Mount mount : profile.filesystem().mounts()) {
            if (mount.path().equals("/tmp") || mount.path().equals("/var/tmp")) {
                privateTmp = true;
                continue;
            }
            String path = systemdPath(mount.path());
            if (!paths.contains(path)) {
                paths.add(path);
            }
        }
        if (privateTmp) {
            unit.append("PrivateTmp=yes\n");
        }
        if (!paths.isEmpty()) {
            unit.append("ReadWritePaths=").append(String.join(" ", paths)).append('\n');
        }
        out.write(unit.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The path itself when systemd reads it literally; otherwise its nearest such ancestor (wider, but a
     * name with spaces, quotes, {@code %} or control characters cannot inject another setting).
     */
    static String systemdPath(String path) {
        String p = path;
        while (!SYSTEMD_SAFE_PATH.matcher(p).matches()) {
            p = TraceRecorder.parent(p);
        }
        return p;
    }

    /**
     * A NetworkPolicy draft: ingress on the ports served, egress to the destinations used (loopback is
     * left out: a NetworkPolicy never applies to it), DNS kept when it was used.
     */
    public static void writeNetworkPolicy(TraceProfile profile, OutputStream out) throws IOException {
        List<Map<String, Object>> ingressPorts = new ArrayList<>();
        for (Endpoint e : profile.listening()) {
            Map<String, Object> port = new LinkedHashMap<>();
            port.put("protocol", e.protocol().toUpperCase(java.util.Locale.ROOT));
            port.put("port", e.port());
            if (!ingressPorts.contains(port)) {
                ingressPorts.add(port);
            }
        }
        List<Map<String, Object>> egress = new ArrayList<>();
        for (Endpoint e : profile.connections()) {
            if (loopback(e.address())) {
                continue;
            }
            boolean v6 = e.address().contains(":");
            Map<String, Object> port = new LinkedHashMap<>();
            port.put("protocol", e.protocol().toUpperCase(java.util.Locale.ROOT));
            port.put("port", e.port());
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("to", List.of(Map.of("ipBlock", Map.of("cidr", e.address() + (v6 ? "/128" : "/32")))));
            rule.put("ports", List.of(port));
            egress.add(rule);
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("podSelector", Map.of("matchLabels", Map.of("app", "CHANGE-ME")));
        spec.put("policyTypes", List.of("Ingress", "Egress"));
        spec.put("ingress", ingressPorts.isEmpty() ? List.of() : List.of(Map.of("ports", ingressPorts)));
        spec.put("egress", egress);
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("apiVersion", "networking.k8s.io/v1");
        policy.put("kind", "NetworkPolicy");
        policy.put("metadata", Map.of("name", "learned-by-palisade"));
        policy.put("spec", spec);
        out.write(
                "# Draft learned by palisade trace: set the pod selector; replace addresses by selectors where you can.\n"
                        .getBytes(StandardCharsets.UTF_8));
        YAML.writeValue(out, policy);
    }

    static boolean loopback(String address) {
        return address.startsWith("127.") || address.equals("::1") || address.startsWith("::ffff:127.");
    }
}
