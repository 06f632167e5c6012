package dev.palisade.checks;

import dev.palisade.source.EntryPaths;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileTree;
import dev.palisade.source.host.ListeningSockets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * For a VM: the network services enabled at boot (systemd units in the root file system) and the
 * sockets listening now (a live host), that the traced workload ({@code --learned}) never served,
 * connected to, or ran.
 */
public final class UnusedServices {
    private static final long MAX_UNIT_BYTES = 256 * 1024;
    private static final List<String> UNIT_DIRECTORIES =
            List.of("etc/systemd/system", "usr/lib/systemd/system", "lib/systemd/system");

    private final CheckCatalog catalog;
    private final Map<String, List<Integer>> defaultPorts;

    public UnusedServices(CheckCatalog catalog, Map<String, List<Integer>> defaultPorts) {
        this.catalog = catalog;
        this.defaultPorts = defaultPorts;
    }

    /**
     * An enabled unit that serves the network.
     *
     * @param unit the unit's file name ({@code cups.socket})
     * @param enabledAt where it is enabled ({@code etc/systemd/system/multi-user.target.wants/cups.service})
     * @param ports the ports it listens on: its {@code Listen*=} lines, else the service's default ports
     * @param unixSockets the unix socket paths its {@code Listen*=} lines name
     * @param program the program its {@code ExecStart=} runs, empty when none
     */
    public record EnabledService(
            String unit, String enabledAt, Set<Integer> ports, Set<String> unixSockets, String program) {
        public EnabledService {
            ports = Set.copyOf(ports);
            unixSockets = Set.copyOf(unixSockets);
        }
    }

    /** The network services systemd starts at boot in this root file system, by unit, sorted. */
    public List<EnabledService> enabledNetworkServices(FileTree tree) {
        Map<String, String> enabled = new LinkedHashMap<>();
        for (FileEntry e : tree.entries()) {
            String path = e.path();
            if (path.startsWith("etc/systemd/system/")
                    && EntryPaths.parent(path).endsWith(".wants")
                    && (path.endsWith(".service") || path.endsWith(".socket"))) {
                enabled.putIfAbsent(e.name(), path);
            }
        }
        List<EnabledService> services = new ArrayList<>();
        for (Map.Entry<String, String> unit : enabled.entrySet()) {
            String text = unitText(tree, unit.getKey(), unit.getValue());
            Set<Integer> ports = new TreeSet<>();
            Set<String> sockets = new TreeSet<>();
            String program = "";
            for (String raw : text.split("\n")) {
                String line = raw.strip();
                int equals = line.indexOf('=');
                if (equals < 0) {
                    continue;
                }
                String key = line.substring(0, equals).strip();
                String value = line.substring(equals + 1).strip();
                if (key.equals("ListenStream")
                        || key.equals("ListenDatagram")
                        || key.equals("ListenSequentialPacket")) {
                    listen(value, ports, sockets);
                } else if (key.equals("ExecStart") && program.isEmpty()) {
                    program = program(value);
                }
            }
            if (ports.isEmpty() && sockets.isEmpty()) {
                String name = unit.getKey()
                        .replaceFirst("\\.(service|socket)$", "")
                        .replaceFirst("@$", "")
                        .toLowerCase(Locale.ROOT);
                ports.addAll(defaultPorts.getOrDefault(name, List.of()));
            }
            if (!ports.isEmpty() || !sockets.isEmpty()) {
                services.add(new EnabledService(unit.getKey(), unit.getValue(), ports, sockets, program));
            }
        }
        services.sort(java.util.Comparator.comparing(EnabledService::unit));
        return services;
    }

    /** One finding per enabled network service and per listening socket the trace never touched. */
    public List<Misconfiguration> evaluate(
            FileTree tree, List<ListeningSockets.Socket> sockets, LearnedProfile learned) {
        List<Misconfiguration> found = new ArrayList<>();
        Set<Integer> reported = new TreeSet<>();
        for (EnabledService service : enabledNetworkServices(tree)) {
            if (used(service, learned)) {
                continue;
            }
            reported.addAll(service.ports());
            List<String> what = new ArrayList<>();
            service.ports().stream().sorted().forEach(p -> what.add("port " + p));
            what.addAll(new TreeSet<>(service.unixSockets()));
            if (!service.program().isEmpty()) {
                what.add(service.program());
            }
            found.add(new Misconfiguration(
                    catalog.get("PAL-5201"),
                    service.enabledAt(),
                    0,
                    service.unit(),
                    null,
                    service.unit() + " is enabled (" + String.join(", ", what) + ") and the traced workload ("
                            + learned.name() + ") never used it"));
        }
        for (ListeningSockets.Socket socket : sockets) {
            String protocol = socket.protocol().startsWith("udp") ? "udp" : "tcp";
            if (reported.contains(socket.port()) || learned.usedPort(protocol, socket.port())) {
                continue;
            }
            boolean ranOwner = false;
            List<String> owners = new ArrayList<>();
            for (ListeningSockets.Owner owner : socket.owners()) {
                owners.add(owner.name() + " (pid " + owner.pid() + ")");
                ranOwner |= ranCommand(learned, owner.name());
            }
            if (ranOwner) {
                continue;
            }
            reported.add(socket.port());
            found.add(new Misconfiguration(
                    catalog.get("PAL-5201"),
                    "/proc/net/" + socket.protocol(),
                    0,
                    protocol + "/" + socket.port(),
                    null,
                    socket.protocol() + " " + socket.address() + ":" + socket.port() + " is listening"
                            + (owners.isEmpty() ? "" : " (" + String.join(", ", owners) + ")")
                            + " and the traced workload (" + learned.name() + ") never used it"));
        }
        return found;
    }

    private static boolean used(EnabledService service, LearnedProfile learned) {
        for (int port : service.ports()) {
            if (learned.usedPort("tcp", port) || learned.usedPort("udp", port)) {
                return true;
            }
        }
        for (String socket : service.unixSockets()) {
            if (learned.unixSockets().contains(socket)) {
                return true;
            }
        }
        return !service.program().isEmpty()
                && learned.ranProgram(
                        service.program().substring(service.program().lastIndexOf('/') + 1));
    }

    /** A process name from /proc (its comm, cut to 15 characters) against the programs the trace ran. */
    private static boolean ranCommand(LearnedProfile learned, String comm) {
        for (String program : learned.programs()) {
            String name = program.substring(program.lastIndexOf('/') + 1);
            if (name.equals(comm) || comm.length() == 15 && name.startsWith(comm)) {
                return true;
            }
        }
        return false;
    }

    /** The unit file's text: through the wants link, else from the unit directories. */
    private static String unitText(FileTree tree, String unit, String enabledAt) {
        List<String> candidates = new ArrayList<>();
        candidates.add(enabledAt);
        String template = unit.replaceFirst("@[^.]+\\.", "@.");
        for (String directory : UNIT_DIRECTORIES) {
            candidates.add(directory + "/" + unit);
            candidates.add(directory + "/" + template);
        }
        for (String candidate : candidates) {
            try {
                Optional<byte[]> bytes = tree.readResolved(candidate, MAX_UNIT_BYTES);
                if (bytes.isPresent()) {
                    return new String(bytes.get(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                // an unreadable unit is looked for in the next place
            }
        }
        return "";
    }

    /** {@code ListenStream=} values: a port, {@code ADDRESS:PORT}, {@code [V6]:PORT}, or a unix socket path. */
    private static void listen(String value, Set<Integer> ports, Set<String> sockets) {
        if (value.startsWith("/") || value.startsWith("@")) {
            sockets.add(value);
            return;
        }
        String port = value.substring(value.lastIndexOf(':') + 1);
        if (port.matches("\\d{1,5}")) {
            int number = Integer.parseInt(port);
            if (number > 0 && number < 65536) {
                ports.add(number);
            }
        }
    }

    /** The program of an {@code ExecStart=} line, without systemd's prefixes ({@code -@:+!}). */
    private static String program(String value) {
        String command = value.replaceFirst("^[-@:+!]+", "").strip();
        int space = command.indexOf(' ');
        return space < 0 ? command : command.substring(0, space);
    }
}
