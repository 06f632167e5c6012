package dev.palisade.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.palisade.trace.TraceProfile.CapabilityNeed;
import dev.palisade.trace.TraceProfile.Endpoint;
import dev.palisade.trace.TraceProfile.Mount;
import dev.palisade.trace.TraceProfile.SyscallUse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileWritersTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOSTILE = "/srv/a b\nExecStartPre=/bin/sh -c evil %n";

    private static TraceProfile profile(
            List<String> syscalls,
            List<String> capabilities,
            List<Mount> mounts,
            List<Endpoint> listening,
            List<Endpoint> connections) {
        List<SyscallUse> uses = new ArrayList<>();
        syscalls.forEach(s -> uses.add(new SyscallUse(s, "SCMP_ARCH_X86_64", 1, 0)));
        List<CapabilityNeed> needs = new ArrayList<>();
        capabilities.forEach(c -> needs.add(new CapabilityNeed(c, "bind", "evidence", 1)));
        return new TraceProfile(
                TraceProfile.FORMAT_VERSION,
                new TraceProfile.Traced("app", 0, 0, 10),
                List.of("SCMP_ARCH_X86_64"),
                uses,
                List.of(new TraceProfile.BaselineSyscall("exit_group", "lifecycle")),
                List.of(),
                List.of(),
                new TraceProfile.Filesystem(true, mounts),
                listening,
                connections,
                List.of(),
                List.of(),
                needs,
                new TraceProfile.Completeness(10, 0, List.of()));
    }

    private static String text(IoWriter writer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private interface IoWriter {
        void write(ByteArrayOutputStream out) throws IOException;
    }

    @Test
    void shouldDenyUnseenCallsWithEpermAndUnseenClone3WithEnosys() {
        Map<String, Object> seccomp =
                ProfileWriters.seccomp(profile(List.of("read", "write"), List.of(), List.of(), List.of(), List.of()));
        assertThat(seccomp).containsEntry("defaultAction", "SCMP_ACT_ERRNO").containsEntry("defaultErrnoRet", 1);
        List<?> rules = (List<?>) seccomp.get("syscalls");
        assertThat(((Map<?, ?>) rules.get(0)).get("names")).isEqualTo(List.of("exit_group", "read", "write"));
        Map<?, ?> clone3 = (Map<?, ?>) rules.get(1);
        assertThat(clone3.get("names")).isEqualTo(List.of("clone3"));
        assertThat(clone3.get("errnoRet")).isEqualTo(38);

        Map<String, Object> withClone3 =
                ProfileWriters.seccomp(profile(List.of("clone3"), List.of(), List.of(), List.of(), List.of()));
        assertThat((List<?>) withClone3.get("syscalls")).hasSize(1);
    }

    @Test
    void shouldKeepAHostilePathFromInjectingSystemdSettings() throws IOException {
        TraceProfile p = profile(
                List.of("read"),
                List.of("CAP_NET_BIND_SERVICE"),
                List.of(new Mount("/tmp", "tmpfs"), new Mount(HOSTILE, "volume"), new Mount("/var/lib/app", "volume")),
                List.of(),
                List.of());
        String unit = text(out -> ProfileWriters.writeSystemd(p, out));
        List<String> lines = unit.lines().toList();
        assertThat(lines)
                .contains(
                        "[Service]",
                        "SystemCallFilter=exit_group read",
                        "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
                        "ProtectSystem=strict",
                        "PrivateTmp=yes",
                        "ReadWritePaths=/srv /var/lib/app",
                        "SystemCallArchitectures=native");
        assertThat(lines).noneMatch(l -> l.startsWith("ExecStartPre"));
    }

    @Test
    void shouldWriteASecurityContextWithVolumesForTheWritablePaths() throws IOException {
        TraceProfile p = profile(
                List.of("read"),
                List.of("CAP_NET_BIND_SERVICE"),
                List.of(new Mount("/tmp", "tmpfs"), new Mount(HOSTILE, "volume")),
                List.of(),
                List.of());
        JsonNode doc = YAML.readTree(text(out -> ProfileWriters.writeKubernetes(p, "profiles/app.json", out)));
        JsonNode context = doc.get("securityContext");
        assertThat(context.get("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(context.get("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(context.at("/capabilities/drop/0").asText()).isEqualTo("ALL");
        assertThat(context.at("/capabilities/add/0").asText()).isEqualTo("NET_BIND_SERVICE");
        assertThat(context.at("/seccompProfile/type").asText()).isEqualTo("Localhost");
        assertThat(context.at("/seccompProfile/localhostProfile").asText()).isEqualTo("profiles/app.json");
        assertThat(doc.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/tmp");
        assertThat(doc.at("/volumeMounts/1/mountPath").asText()).isEqualTo(HOSTILE);
        assertThat(doc.at("/volumes/0/emptyDir/medium").asText()).isEqualTo("Memory");
        assertThat(doc.at("/volumes/1/emptyDir").isEmpty()).isTrue();
    }

    @Test
    void shouldDraftANetworkPolicyWithoutLoopback() throws IOException {
        TraceProfile p = profile(
                List.of("read"),
                List.of(),
                List.of(),
                List.of(
                        new Endpoint("tcp", "0.0.0.0", 8080),
                        new Endpoint("tcp", "::", 8080),
                        new Endpoint("udp", "0.0.0.0", 5353)),
                List.of(
                        new Endpoint("tcp", "127.0.0.1", 5432),
                        new Endpoint("tcp", "10.0.0.5", 5432),
                        new Endpoint("udp", "fd00::1", 53)));
        JsonNode doc = YAML.readTree(text(out -> ProfileWriters.writeNetworkPolicy(p, out)));
        JsonNode ingress = doc.at("/spec/ingress/0/ports");
        assertThat(ingress).hasSize(2);
        assertThat(ingress.get(0).get("port").asInt()).isEqualTo(8080);
        assertThat(ingress.get(1).get("protocol").asText()).isEqualTo("UDP");
        JsonNode egress = doc.at("/spec/egress");
        assertThat(egress).hasSize(2);
        assertThat(egress.get(0).at("/to/0/ipBlock/cidr").asText()).isEqualTo("10.0.0.5/32");
        assertThat(egress.get(1).at("/to/0/ipBlock/cidr").asText()).isEqualTo("fd00::1/128");
        assertThat(egress.get(1).at("/ports/0/port").asInt()).isEqualTo(53);
    }

    @Test
    void shouldReadItsOwnProfileBackAndDiffItAgainstANewerOne(@TempDir Path tmp) throws IOException {
        TraceProfile old = profile(
                List.of("read"),
                List.of(),
                List.of(new Mount("/tmp", "tmpfs")),
                List.of(new Endpoint("tcp", "0.0.0.0", 8080)),
                List.of());
        TraceProfile updated = profile(
                List.of("read", "mkdir"),
                List.of("CAP_CHOWN"),
                List.of(new Mount("/tmp", "tmpfs"), new Mount("/var/lib/app", "volume")),
                List.of(new Endpoint("tcp", "0.0.0.0", 443)),
                List.of(new Endpoint("tcp", "::1", 5432)));
        Path oldFile = tmp.resolve("old.json");
        Path newFile = tmp.resolve("new.json");
        Files.writeString(oldFile, text(out -> ProfileWriters.writeProfile(old, out)));
        Files.writeString(newFile, text(out -> ProfileWriters.writeProfile(updated, out)));
        assertThat(JSON.readValue(oldFile.toFile(), TraceProfile.class)).isEqualTo(old);

        ProfileDiff diff = ProfileDiff.between(ProfileDiff.read(oldFile), ProfileDiff.read(newFile));
        assertThat(diff.somethingNew()).isTrue();
        assertThat(diff.added())
                .containsEntry("syscalls", List.of("mkdir"))
                .containsEntry("capabilities", List.of("CAP_CHOWN"))
                .containsEntry("writablePaths", List.of("/var/lib/app"))
                .containsEntry("listening", List.of("tcp/443"))
                .containsEntry("connections", List.of("tcp [::1]:5432"));
        assertThat(diff.removed()).containsEntry("listening", List.of("tcp/8080"));
        assertThat(ProfileDiff.between(ProfileDiff.read(newFile), ProfileDiff.read(newFile))
                        .somethingNew())
                .isFalse();

        Path seccomp = tmp.resolve("seccomp.json");
        JSON.writeValue(seccomp.toFile(), ProfileWriters.seccomp(old));
        ProfileDiff mixed = ProfileDiff.between(ProfileDiff.read(seccomp), ProfileDiff.read(newFile));
        assertThat(mixed.added()).containsOnlyKeys("syscalls").containsEntry("syscalls", List.of("mkdir"));

        Files.writeString(tmp.resolve("other.json"), "{\"kind\": \"Pod\"}");
        org.assertj.core.api.Assertions.assertThatIOException()
                .isThrownBy(() -> ProfileDiff.read(tmp.resolve("other.json")))
                .withMessageContaining("neither a palisade trace profile nor a seccomp profile");
    }
}
