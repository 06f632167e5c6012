package dev.palisade.cli;

import dev.palisade.checks.LearnedProfile;
import dev.palisade.trace.ProfileDiff;
import dev.palisade.trace.TraceProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** {@code --learned PROFILE}: a profile from {@code palisade trace --output}, compared with what is scanned. */
final class LearnedOption {
    @Option(
            names = "--learned",
            paramLabel = "PROFILE",
            description = "A profile written by palisade trace --output: compare each workload's seccomp profile "
                    + "(Kubernetes Localhost, compose security_opt, or the runtime's default) and, for a VM, the "
                    + "enabled network services with what the traced run needed.")
    @Nullable
    Path profile;

    /** The profile named, or null; an unreadable one is an IOException with a message for the user. */
    @Nullable
    LearnedProfile read() throws IOException {
        if (profile == null) {
            return null;
        }
        return of(String.valueOf(profile.getFileName()), ProfileDiff.readProfile(profile));
    }

    static LearnedProfile of(String name, TraceProfile profile) {
        Set<String> seen = new TreeSet<>();
        profile.syscalls().forEach(s -> seen.add(s.name()));
        Set<String> baseline = new TreeSet<>();
        profile.baseline().forEach(b -> baseline.add(b.name()));
        List<LearnedProfile.Endpoint> listening = new ArrayList<>();
        profile.listening()
                .forEach(e -> listening.add(new LearnedProfile.Endpoint(e.protocol(), e.address(), e.port())));
        List<LearnedProfile.Endpoint> connections = new ArrayList<>();
        profile.connections()
                .forEach(e -> connections.add(new LearnedProfile.Endpoint(e.protocol(), e.address(), e.port())));
        Set<String> programs = new TreeSet<>(profile.programs());
        if (profile.traced().program().startsWith("/")) {
            programs.add(profile.traced().program());
        }
        return new LearnedProfile(
                name,
                new TreeSet<>(seen),
                new TreeSet<>(baseline),
                listening,
                connections,
                new TreeSet<>(profile.unixSockets()),
                programs);
    }
}
