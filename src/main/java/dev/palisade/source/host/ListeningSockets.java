package dev.palisade.source.host;

import dev.palisade.source.FileAccess;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sockets a live Linux host listens on, read from {@code /proc/net/{tcp,tcp6,udp,udp6}}, and
 * the processes that hold them, found through the {@code socket:[INODE]} links in
 * {@code /proc/PID/fd}. Nothing is executed; a process whose descriptors cannot be read (another
 * user's, without root) is counted, not guessed.
 */
public final class ListeningSockets {
    private static final String TCP_LISTEN = "0A";
    private static final String UDP_UNCONNECTED = "07";
    private static final long MAX_TABLE_BYTES = 64L << 20;
    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");

    /** A process holding a socket. */
    public record Owner(int pid, String name) {}

    /**
     * One listening socket.
     *
     * @param protocol {@code tcp}, {@code tcp6}, {@code udp} or {@code udp6}
     * @param address the local address ({@code 0.0.0.0} and {@code ::} mean every interface)
     * @param owners the processes that hold it, empty when none could be read
     */
    public record Socket(String protocol, String address, int port, long inode, List<Owner> owners) {
        public Socket {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(address, "address");
            owners = List.copyOf(owners);
        }

        /** Whether other machines can reach it: not bound to a loopback address. */
        public boolean reachableFromNetwork() {
            return !(address.startsWith("127.") || address.equals("::1") || address.startsWith("::ffff:127."));
        }
    }

    /** The sockets, sorted by protocol, port and address, and what could not be read. */
    public record Result(List<Socket> sockets, List<Problem> problems) {
        public Result {
            sockets = List.copyOf(sockets);
            problems = List.copyOf(problems);
        }
    }

    private ListeningSockets() {}

    /**
     * @param proc the proc file system ({@code /proc} on a live host), read through {@link FileAccess}
     * @param label how problems name it ({@code /proc})
     */
    public static Result read(FileAccess proc, String label) {
        List<Problem> problems = new ArrayList<>();
        List<Socket> unowned = new ArrayList<>();
        for (String protocol : List.of("tcp", "tcp6", "udp", "udp6")) {
            String table = "net/" + protocol;
            Optional<FileEntry> entry = proc.entry(table);
            if (entry.isEmpty()) {
                continue; // a kernel without IPv6 has no tcp6/udp6 table: nothing listens there
            }
            try {
                unowned.addAll(parse(protocol, readTable(proc, entry.get(), label + "/" + table)));
            } catch (IOException | RuntimeException e) {
                problems.add(new Problem(label + "/" + table, null, "cannot be read: " + e.getMessage()));
            }
        }
        Map<Long, List<Owner>> owners = owners(proc, label, problems);
        List<Socket> sockets = new ArrayList<>();
        for (Socket s : unowned) {
            sockets.add(new Socket(
                    s.protocol(), s.address(), s.port(), s.inode(), owners.getOrDefault(s.inode(), List.of())));
        }
        sockets.sort(Comparator.comparing(Socket::protocol)
                .thenComparingInt(Socket::port)
                .thenComparing(Socket::address));
        return new Result(sockets, problems);
    }

    private static String readTable(FileAccess proc, FileEntry table, String name) throws IOException {
        try (InputStream in = proc.open(table)) {
            return new String(
                    LimitedInputStream.readAll(in, MAX_TABLE_BYTES, name + " (over 64 MiB)"),
                    StandardCharsets.US_ASCII);
        }
    }

    /** The listening rows of one table, in the kernel's format ({@code net/ipv4/tcp_ipv4.c}, {@code get_tcp4_sock}). */
    static List<Socket> parse(String protocol, String table) {
        boolean udp = protocol.startsWith("udp");
        List<Socket> sockets = new ArrayList<>();
        List<String> lines = table.lines().toList();
        for (int i = 1; i < lines.size(); i++) {
            String[] fields = lines.get(i).trim().split("\\s+");
            if (fields.length < 10) {
                throw new IllegalArgumentException(
                        "line " + (i + 1) + " has " + fields.length + " fields, expected at least 10");
            }
            String state = fields[3];
            if (!state.equals(udp ? UDP_UNCONNECTED : TCP_LISTEN)) {
                continue;
            }
            String[] local = fields[1].split(":");
            if (local.length != 2) {
                throw new IllegalArgumentException(
                        "line " + (i + 1) + ": local address '" + fields[1] + "' is not ADDRESS:PORT");
            }
            sockets.add(new Socket(
                    protocol, address(local[0]), Integer.parseInt(local[1], 16), Long.parseLong(fields[9]), List.of()));
        }
        return sockets;
    }

    /** The kernel prints each 32-bit word of the address in host byte order (little-endian here). */
    static String address(String hex) {
        if (hex.length() != 8 && hex.length() != 32) {
            throw new IllegalArgumentException("address '" + hex + "' is neither 8 nor 32 hex digits");
        }
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < hex.length() / 8; word++) {
            for (int b = 0; b < 4; b++) {
                int at = word * 8 + (3 - b) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        return ipv6(bytes);
    }

    private static String ipv6(byte[] bytes) {
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= bytes[i] == 0;
        }
        if (mapped && (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff) {
            return "::ffff:" + (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "."
                    + (bytes[15] & 0xff);
        }
        int[] groups = new int[8];
        for (int g = 0; g < 8; g++) {
            groups[g] = ((bytes[2 * g] & 0xff) << 8) | (bytes[2 * g + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int g = 0; g < 8; ) {
            int end = g;
            while (end < 8 && groups[end] == 0) {
                end++;
            }
            if (end - g > bestLength) {
                bestStart = g;
                bestLength = end - g;
            }
            g = end == g ? g + 1 : end;
        }
        StringBuilder out = new StringBuilder();
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                out.append("::");
                g += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[g]));
        }
        return out.toString();
    }

    /** Socket inode -> the processes with a descriptor on it. */
    private static Map<Long, List<Owner>> owners(FileAccess proc, String label, List<Problem> problems) {
        Map<Long, TreeSet<Integer>> pids = new HashMap<>();
        Map<Integer, String> names = new HashMap<>();
        int unreadable = 0;
        List<FileEntry> processes;
        try {
            processes = proc.children("");
        } catch (IOException e) {
            problems.add(new Problem(label, null, "processes cannot be listed: " + e.getMessage()));
            processes = List.of();
        }
        for (FileEntry process : processes) {
            if (process.kind() != FileKind.DIRECTORY || !process.name().matches("\\d{1,10}")) {
                continue;
            }
            int pid = Integer.parseInt(process.name());
            List<FileEntry> descriptors;
            try {
                descriptors = proc.children(process.path() + "/fd");
            } catch (IOException e) {
                unreadable++;
                continue;
            }
            for (FileEntry fd : descriptors) {
                Matcher m = SOCKET_LINK.matcher(fd.linkTarget() == null ? "" : fd.linkTarget());
                if (m.matches()) {
                    pids.computeIfAbsent(Long.parseLong(m.group(1)), k -> new TreeSet<>())
                            .add(pid);
                    names.computeIfAbsent(pid, p -> name(proc, process.path()));
                }
            }
        }
        if (unreadable > 0) {
            problems.add(new Problem(
                    label,
                    null,
                    unreadable + " processes' descriptors cannot be read (run as root to see every owner)"));
        }
        Map<Long, List<Owner>> owners = new HashMap<>();
        pids.forEach((inode, set) -> owners.put(
                inode,
                set.stream()
                        .map(pid -> new Owner(pid, names.getOrDefault(pid, "?")))
                        .toList()));
        return owners;
    }

    private static String name(FileAccess proc, String process) {
        Optional<FileEntry> comm = proc.entry(process + "/comm");
        if (comm.isEmpty()) {
            return "?";
        }
        try (InputStream in = proc.open(comm.get())) {
            return new String(LimitedInputStream.readAll(in, 4096, "comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
