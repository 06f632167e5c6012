package dev.palisade.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container baseline is what a real runtime needs: crun (Debian's crun, Podman's runtime) runs a
 * container under the learned seccomp profile, with and without no_new_privs; without the baseline it
 * fails when it must still drop capabilities after loading the filter. crun runs here in a private mount
 * namespace with its own cgroup2 mount and no cgroup manager.
 */
class CrunRuntimeIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @BeforeAll
    static void toolsArePresent() throws Exception {
        assertThat(Path.of("/usr/bin/crun"))
                .as("crun must be installed (apt-get install crun)")
                .isExecutable();
        assertThat(Path.of("/usr/bin/strace"))
                .as("strace must be installed (apt-get install strace)")
                .isExecutable();
        Process probe = new ProcessBuilder("unshare", "-m", "true")
                .redirectErrorStream(true)
                .start();
        probe.getInputStream().readAllBytes();
        Assumptions.assumeTrue(
                probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "a mount namespace cannot be made here (needs root with CAP_SYS_ADMIN)");
    }

    @Test
    void shouldRunAContainerUnderTheLearnedProfileOnlyWithTheContainerBaseline() throws Exception {
        Path withBaseline = tmp.resolve("container.json");
        Path withoutBaseline = tmp.resolve("none.json");
        Cli.Result traced = Cli.run("trace", "--seccomp", withBaseline.toString(), "--", "/usr/bin/true");
        assertThat(traced.exit()).as(traced.err()).isZero();
        Cli.Result bare =
                Cli.run("trace", "--baseline", "none", "--seccomp", withoutBaseline.toString(), "--", "/usr/bin/true");
        assertThat(bare.exit()).as(bare.err()).isZero();

        assertThat(crun(withBaseline, true))
                .as("no_new_privs: the filter is loaded just before execve")
                .isZero();
        assertThat(crun(withBaseline, false))
                .as("without no_new_privs crun drops capabilities and changes user after loading the filter")
                .isZero();
        assertThat(crun(withoutBaseline, true)).isZero();
        assertThat(crun(withoutBaseline, false))
                .as("prctl, capset, setresuid... are refused without the baseline")
                .isNotZero();
    }

    /** Runs /usr/bin/true as user 1000 in a container whose root is empty but for the host's /usr and libraries. */
    private int crun(Path seccomp, boolean noNewPrivileges) throws Exception {
        Path bundle = Files.createTempDirectory(tmp, "bundle");
        Path rootfs = Files.createDirectories(bundle.resolve("rootfs"));
        for (String d : new String[] {"usr", "lib", "lib64", "bin", "proc", "dev", "sys", "tmp"}) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Process spec = new ProcessBuilder("crun", "spec")
                .directory(bundle.toFile())
                .redirectErrorStream(true)
                .start();
        spec.getInputStream().readAllBytes();
        assertThat(spec.waitFor(10, TimeUnit.SECONDS)).isTrue();
        ObjectNode config =
                (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
        ObjectNode process = (ObjectNode) config.path("process");
        process.putArray("args").add("/usr/bin/true");
        process.put("terminal", false);
        process.put("noNewPrivileges", noNewPrivileges);
        ObjectNode user = process.putObject("user");
        user.put("uid", 1000);
        user.put("gid", 1000);
        ObjectNode root = config.putObject("root");
        root.put("path", "rootfs");
        root.put("readonly", true);
        ArrayNode mounts = (ArrayNode) config.path("mounts");
        for (String d : new String[] {"usr", "lib", "lib64", "bin"}) {
            ObjectNode mount = mounts.addObject();
            mount.put("destination", "/" + d);
            mount.put("type", "bind");
            mount.put("source", "/" + d);
            mount.putArray("options").add("rbind").add("ro");
        }
        ObjectNode linux = (ObjectNode) config.path("linux");
        linux.remove("resources");
        ArrayNode namespaces = linux.putArray("namespaces");
        for (String type : new String[] {"pid", "ipc", "uts", "mount"}) {
            namespaces.addObject().put("type", type);
        }
        linux.set("seccomp", JSON.readTree(seccomp.toFile()));
        JSON.writeValue(bundle.resolve("config.json").toFile(), config);
        Process run = new ProcessBuilder(
                        "unshare",
                        "-m",
                        "sh",
                        "-c",
                        "umount -l /sys/fs/cgroup 2>/dev/null; mount -t cgroup2 none /sys/fs/cgroup"
                                + " && exec crun --root \"$1/state\" --cgroup-manager=disabled run --bundle \"$1\" c",
                        "sh",
                        bundle.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(run.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        return run.exitValue();
    }
}
