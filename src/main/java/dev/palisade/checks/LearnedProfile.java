package dev.palisade.checks;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a traced run of the workload needed ({@code palisade trace --output}), as the checks compare it
 * with a workload's configuration: the system calls, the ports served and used, the unix sockets and
 * the programs run.
 *
 * @param name where the profile came from (its file), named in the findings
 * @param syscalls the calls the trace saw (any architecture)
 * @param baseline the calls the profile allows without having seen them (runtime start, lifecycle)
 * @param listening the ports served
 * @param connections the destinations connected or sent to
 * @param unixSockets the unix socket paths connected to or bound
 * @param programs the programs the traced processes ran (absolute paths), and the traced command
 */
public record LearnedProfile(
        String name,
        SortedSet<String> syscalls,
        SortedSet<String> baseline,
        List<Endpoint> listening,
        List<Endpoint> connections,
        Set<String> unixSockets,
        Set<String> programs) {
    public LearnedProfile {
        Objects.requireNonNull(name, "name");
        syscalls = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(syscalls));
        baseline = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(baseline));
        listening = List.copyOf(listening);
        connections = List.copyOf(connections);
        unixSockets = Set.copyOf(unixSockets);
        programs = Set.copyOf(programs);
    }

    /** A network endpoint: {@code tcp}/{@code udp}, an address, a port. */
    public record Endpoint(String protocol, String address, int port) {}

    /** The calls a profile learned from this run must allow: those seen and the baseline. */
    public SortedSet<String> needed() {
        TreeSet<String> all = new TreeSet<>(syscalls);
        all.addAll(baseline);
        return java.util.Collections.unmodifiableSortedSet(all);
    }

    /** True when the run served or used {@code port} over {@code protocol} (any address). */
    public boolean usedPort(String protocol, int port) {
        for (Endpoint e : listening) {
            if (e.protocol().equals(protocol) && e.port() == port) {
                return true;
            }
        }
        for (Endpoint e : connections) {
            if (e.protocol().equals(protocol) && e.port() == port) {
                return true;
            }
        }
        return false;
    }

    /** True when the run executed a program with this file name (the last path element). */
    public boolean ranProgram(String fileName) {
        for (String program : programs) {
            String name = program.substring(program.lastIndexOf('/') + 1);
            if (name.equals(fileName)) {
                return true;
            }
        }
        return false;
    }
}
