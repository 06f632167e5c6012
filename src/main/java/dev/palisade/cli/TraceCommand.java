package dev.palisade.cli;

import dev.palisade.report.TerminalText;
import dev.palisade.trace.Baseline;
import dev.palisade.trace.ProfileWriters;
import dev.palisade.trace.StraceRunner;
import dev.palisade.trace.TraceLimits;
import dev.palisade.trace.TraceProfile;
import dev.palisade.trace.TraceRecorder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade trace}: learns least privilege from a run of a command (or a running process) under strace. */
@Command(
        name = "trace",
        footerHeading = "%nExamples:%n",
        footer = {
            "  palisade trace --duration 60s -- ./server --port 8080",
            "  palisade trace --pid 4242 --duration 5m --seccomp seccomp.json"
        },
        mixinStandardHelpOptions = true,
        description = {
            "Runs a command (its whole process tree) under strace, or attaches to a running process, and learns what"
                    + " it needs: system calls, written paths, ports, destinations, capabilities.",
            "Writes a profile, a seccomp profile, a Kubernetes securityContext, a systemd drop-in and a NetworkPolicy"
                    + " draft."
        })
final class TraceCommand implements Callable<Integer> {
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private final Environment environment;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the profile (JSON, docs/trace.md) here.")
    @Nullable
    Path output;

    @Option(
            names = "--seccomp",
            paramLabel = "FILE",
            description = "Write the learned seccomp profile (OCI/Docker JSON) here.")
    @Nullable
    Path seccomp;

    @Option(
            names = "--kubernetes",
            paramLabel = "FILE",
            description = "Write a Kubernetes securityContext snippet here.")
    @Nullable
    Path kubernetes;

    @Option(names = "--systemd", paramLabel = "FILE", description = "Write a systemd drop-in for the service here.")
    @Nullable
    Path systemd;

    @Option(names = "--network-policy", paramLabel = "FILE", description = "Write a NetworkPolicy draft here.")
    @Nullable
    Path networkPolicy;

    @Option(
            names = "--localhost-profile",
            paramLabel = "PATH",
            description =
                    "The seccomp profile's path under the kubelet's seccomp directory (default: profiles/ and the --seccomp file name).")
    @Nullable
    String localhostProfile;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            description = "Stop after this long (500ms, 60s, 5m, 1h); with --pid the default is 60s.")
    @Nullable
    String duration;

    @Option(
            names = "--pid",
            paramLabel = "PID",
            description =
                    "Attach to this running process (and the threads and children it starts) instead of running a command.")
    @Nullable
    Long pid;

    @Option(
            names = "--baseline",
            paramLabel = "KIND",
            defaultValue = "container",
            description =
                    "Calls allowed beyond those seen: container (lifecycle and the container runtime's), systemd (lifecycle), none. Default: ${DEFAULT-VALUE}.")
    String baseline = "container";

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command and its arguments (after --).")
    List<String> command = new ArrayList<>();

    TraceCommand(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        PrintStream err = environment.err();
        if ((pid == null) == command.isEmpty()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "give either a command (after --) or --pid PID");
        }
        Duration limit;
        Baseline kind;
        try {
            limit = duration == null ? (pid != null ? Duration.ofSeconds(60) : null) : parseDuration(duration);
            kind = Baseline.parse(baseline);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        StraceRunner runner;
        try {
            runner = StraceRunner.find(environment.variables().getOrDefault("PATH", DEFAULT_PATH));
        } catch (StraceRunner.StraceMissingException e) {
            err.println("palisade: " + e.getMessage());
            return PalisadeCommand.EXIT_UNREADABLE;
        }
        try {
            for (Path file : outputs()) {
                ReportOutput.check(file);
            }
            Path workingDirectory = Path.of("").toAbsolutePath();
            TraceRecorder recorder = new TraceRecorder(
                    System.getProperty("os.arch", "amd64"), workingDirectory.toString(), TraceLimits.defaults());
            StraceRunner.Run run = pid != null
                    ? runner.attach(pid, limit == null ? Duration.ofSeconds(60) : limit, recorder, kind)
                    : runner.run(command, limit, workingDirectory, recorder, kind);
            TraceProfile profile = run.profile();
            if (profile.syscalls().isEmpty()) {
                err.println(
                        "palisade: the trace recorded no system call (see strace's message above); nothing written");
                return PalisadeCommand.EXIT_UNREADABLE;
            }
            write(profile);
            summary(profile, environment.out());
            if (run.exitStatus() != null && run.exitStatus() != 0) {
                err.println("palisade: note: the traced command exited with status " + run.exitStatus()
                        + "; the profile covers only what it did before that");
            }
            for (String note : profile.completeness().notes()) {
                err.println("palisade: warning: " + TerminalText.escape(note));
            }
            return PalisadeCommand.EXIT_OK;
        } catch (IOException e) {
            err.println("palisade: " + TerminalText.escape(String.valueOf(e.getMessage())));
            return PalisadeCommand.EXIT_UNREADABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("palisade: interrupted");
            return PalisadeCommand.EXIT_UNREADABLE;
        }
    }

    private List<Path> outputs() {
        List<Path> files = new ArrayList<>();
        for (Path p : new Path[] {output, seccomp, kubernetes, systemd, networkPolicy}) {
            if (p != null) {
                files.add(p);
            }
        }
        return files;
    }

    private void write(TraceProfile profile) throws IOException {
        PrintStream out = environment.out();
        if (output != null) {
            ReportOutput.write(output, out, o -> ProfileWriters.writeProfile(profile, o));
        }
        if (seccomp != null) {
            ReportOutput.write(seccomp, out, o -> ProfileWriters.writeSeccomp(profile, o));
        }
        if (kubernetes != null) {
            String name = localhostProfile != null
                    ? localhostProfile
                    : "profiles/" + (seccomp != null ? String.valueOf(seccomp.getFileName()) : "palisade-learned.json");
            ReportOutput.write(kubernetes, out, o -> ProfileWriters.writeKubernetes(profile, name, o));
        }
        if (systemd != null) {
            ReportOutput.write(systemd, out, o -> ProfileWriters.writeSystemd(profile, o));
        }
        if (networkPolicy != null) {
            ReportOutput.write(networkPolicy, out, o -> ProfileWriters.writeNetworkPolicy(profile, o));
        }
    }

    private static void summary(TraceProfile profile, PrintStream out) {
        long seen = profile.syscalls().stream()
                .map(TraceProfile.SyscallUse::name)
                .distinct()
                .count();
        out.printf(
                "system calls: %d seen, %d allowed (%s)%n",
                seen, profile.allowedSyscalls(null).size(), String.join(" ", profile.architectures()));
        out.printf(
                "root file system: %s%n",
                profile.filesystem().readOnlyRootFilesystem() ? "can be read-only" : "must stay writable");
        for (TraceProfile.Mount m : profile.filesystem().mounts()) {
            out.printf("  writable: %s (%s)%n", TerminalText.escape(m.path()), m.kind());
        }
        for (TraceProfile.Endpoint e : profile.listening()) {
            out.printf("serves: %s %s port %d%n", e.protocol(), e.address(), e.port());
        }
        for (TraceProfile.Endpoint e : profile.connections()) {
            out.printf("connects to: %s %s port %d%n", e.protocol(), e.address(), e.port());
        }
        for (String s : profile.unixSockets()) {
            out.printf("unix socket: %s%n", TerminalText.escape(s));
        }
        if (profile.capabilities().isEmpty()) {
            out.println("capabilities: none needed (drop ALL)");
        }
        for (TraceProfile.CapabilityNeed c : profile.capabilities()) {
            out.printf("capability: %s (%s)%n", c.capability(), TerminalText.escape(c.evidence()));
        }
        out.flush();
    }

    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("--duration " + text + ": expected a number and ms, s, m or h (60s)");
        }
        long value = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(value);
            case "s" -> Duration.ofSeconds(value);
            case "m" -> Duration.ofMinutes(value);
            default -> Duration.ofHours(value);
        };
    }
}
