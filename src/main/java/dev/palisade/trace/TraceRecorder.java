package dev.palisade.trace;

import dev.palisade.trace.SyscallEvent.Personality;
import dev.palisade.trace.TraceProfile.CapabilityNeed;
import dev.palisade.trace.TraceProfile.Endpoint;
import dev.palisade.trace.TraceProfile.Mount;
import dev.palisade.trace.TraceProfile.PathWrite;
import dev.palisade.trace.TraceProfile.SyscallUse;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads strace's output as a stream and keeps, in bounded memory, what the run needed: the calls per
 * architecture, the paths written, the sockets served and used, the privileged operations.
 */
public final class TraceRecorder {
    private static final Set<String> OPEN_WRITE_FLAGS =
            Set.of("O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND", "O_TMPFILE");
    private static final List<String> SCRATCH_ROOTS = List.of("/tmp", "/var/tmp", "/run", "/var/run");
    private static final List<String> KERNEL_FILESYSTEMS = List.of("/proc", "/sys", "/dev");
    private static final Pattern INET_ANNOTATION =
            Pattern.compile("^(TCP|TCPv6|UDP|UDPv6):\\[(?:\\[([0-9a-fA-F:.]{1,64})\\]|([0-9.]{7,15})):(\\d{1,5})\\]$");
    private static final Pattern PORT = Pattern.compile("^htons\\((\\d{1,5})\\)$");
    private static final Pattern QUOTED_ARGUMENT = Pattern.compile("\"[^\"]{0,64}\"");

    private final String nativeArchitecture;
    private final Map<Personality, String> architectures;
    private final TraceLimits limits;
    private final String workingDirectory;
    private final StraceLineParser parser;

    private final Map<String, long[]> syscalls = new TreeMap<>();
    private final Set<String> unknownSyscalls = new TreeSet<>();
    private final Map<String, WriteStats> writes = new TreeMap<>();
    private final Set<Endpoint> listening = new LinkedHashSet<>();
    private final Set<Endpoint> connections = new LinkedHashSet<>();
    private final Set<String> unixSockets = new TreeSet<>();
    private final Set<String> programs = new TreeSet<>();
    private final Map<String, CapabilityNeed> capabilities = new TreeMap<>();
    private final Map<Integer, String> directories = new HashMap<>();
    private final Map<String, Endpoint> boundSockets = new HashMap<>();
    private final Set<String> notes = new LinkedHashSet<>();
    private long lines;
    private long skippedLines;

    /**
     * @param hostArchitecture the machine's architecture as Java names it ({@code amd64}, {@code aarch64})
     * @param workingDirectory where the traced command started: relative paths before any {@code -yy}
     *     directory was printed are resolved against it
     */
    public TraceRecorder(String hostArchitecture, String workingDirectory, TraceLimits limits) {
        this.architectures = architecturesFor(hostArchitecture);
        this.nativeArchitecture = java.util.Objects.requireNonNull(architectures.get(Personality.NATIVE));
        this.limits = limits;
        this.workingDirectory = workingDirectory;
        this.parser = new StraceLineParser(limits.maxProcesses());
    }

    private static final class WriteStats {
        final Set<String> operations = new TreeSet<>();
        long count;
        long failures;
    }

    /** Seccomp's architecture names for this host's native, 32-bit and x32 system call tables. */
    static Map<Personality, String> architecturesFor(String hostArchitecture) {
        String arch = hostArchitecture.toLowerCase(Locale.ROOT);
        Map<Personality, String> names = new HashMap<>();
        switch (arch) {
            case "amd64", "x86_64" -> {
                names.put(Personality.NATIVE, "SCMP_ARCH_X86_64");
                names.put(Personality.COMPAT32, "SCMP_ARCH_X86");
                names.put(Personality.X32, "SCMP_ARCH_X32");
            }
            case "aarch64", "arm64" -> {
                names.put(Personality.NATIVE, "SCMP_ARCH_AARCH64");
                names.put(Personality.COMPAT32, "SCMP_ARCH_ARM");
            }
            case "ppc64le" -> names.put(Personality.NATIVE, "SCMP_ARCH_PPC64LE");
            case "s390x" -> {
                names.put(Personality.NATIVE, "SCMP_ARCH_S390X");
                names.put(Personality.COMPAT32, "SCMP_ARCH_S390");
            }
            case "riscv64" -> names.put(Personality.NATIVE, "SCMP_ARCH_RISCV64");
            default -> throw new IllegalArgumentException("unsupported architecture: " + hostArchitecture);
        }
        return names;
    }

    /** Reads strace's output to its end, one bounded line at a time (bytes read as ISO-8859-1). */
    public void read(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        boolean overlong = false;
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
            for (int i = 0; i < n; i++) {
                char c = (char) (buffer[i] & 0xff);
                if (c == '\n') {
                    finishLine(line, overlong);
                    line.setLength(0);
                    overlong = false;
                } else if (line.length() < limits.maxLineChars()) {
                    line.append(c);
                } else {
                    overlong = true;
                }
            }
        }
        if (line.length() > 0 || overlong) {
            finishLine(line, overlong);
        }
    }

    private void finishLine(StringBuilder line, boolean overlong) {
        lines++;
        if (overlong) {
            skippedLines++;
            notes.add("lines longer than " + limits.maxLineChars() + " characters were skipped");
            return;
        }
        long malformedBefore = parser.malformedLines();
        SyscallEvent event = parser.accept(line.toString());
        skippedLines += parser.malformedLines() - malformedBefore;
        if (event != null) {
            record(event);
        }
    }

    void record(SyscallEvent event) {
        String arch = architectures.get(event.personality());
        if (arch == null) {
            notes.add("calls through an unknown system call table were seen");
            return;
        }
        if (event.name().startsWith("syscall_")) {
            addBounded(unknownSyscalls, event.name(), "unknown system calls");
        } else {
            String key = event.name() + " " + arch;
            long[] counts = syscalls.get(key);
            if (counts == null) {
                if (syscalls.size() >= limits.maxDistinct()) {
                    notes.add("more distinct system calls than " + limits.maxDistinct());
                    return;
                }
                counts = new long[2];
                syscalls.put(key, counts);
            }
            counts[0]++;
            if (event.failed()) {
                counts[1]++;
            }
        }
        rememberDirectory(event);
        inspect(event);
    }

    private void inspect(SyscallEvent e) {
        switch (e.name()) {
            case "open" -> openCall(e, path(e, null, 0), e.argument(1));
            case "openat" -> openCall(e, path(e, e.argument(0), 1), e.argument(2));
            case "openat2" -> {
                String flags = StraceText.field(e.argument(2), "flags");
                openCall(e, path(e, e.argument(0), 1), flags == null ? "" : flags);
            }
            case "creat" -> write(e, path(e, null, 0), "create");
            case "mkdir" -> write(e, path(e, null, 0), "mkdir");
            case "mkdirat" -> write(e, path(e, e.argument(0), 1), "mkdir");
            case "rmdir", "unlink" -> write(e, path(e, null, 0), e.name());
            case "unlinkat" -> write(e, path(e, e.argument(0), 1), "unlink");
            case "rename" -> {
                write(e, path(e, null, 0), "rename");
                write(e, path(e, null, 1), "rename");
            }
            case "renameat", "renameat2" -> {
                write(e, path(e, e.argument(0), 1), "rename");
                write(e, path(e, e.argument(2), 3), "rename");
            }
            case "link", "symlink" -> write(e, path(e, null, 1), "link");
            case "linkat" -> write(e, path(e, e.argument(2), 3), "link");
            case "symlinkat" -> write(e, path(e, e.argument(1), 2), "link");
            case "truncate" -> write(e, path(e, null, 0), "truncate");
            case "chmod" -> write(e, path(e, null, 0), "chmod");
            case "fchmodat", "fchmodat2" -> write(e, path(e, e.argument(0), 1), "chmod");
            case "fchmod" -> write(e, fdPath(e.argument(0)), "chmod");
            case "chown", "lchown" -> chown(e, path(e, null, 0), 1);
            case "fchown" -> chown(e, fdPath(e.argument(0)), 1);
            case "fchownat" -> chown(e, path(e, e.argument(0), 1), 2);
            case "mknod" -> mknod(e, path(e, null, 0), e.argument(1));
            case "mknodat" -> mknod(e, path(e, e.argument(0), 1), e.argument(2));
            case "execve" -> program(e, path(e, null, 0));
            case "execveat" -> program(e, path(e, e.argument(0), 1));
            case "socket" -> socket(e);
            case "bind" -> bind(e);
            case "listen" -> listen(e);
            case "connect" -> destination(e, e.argument(1));
            case "sendto" -> destination(e, e.argument(4));
            case "sendmsg" -> {
                String name = StraceText.field(e.argument(1), "msg_name");
                if (name != null) {
                    destination(e, name);
                }
            }
            case "setuid", "setreuid", "setresuid", "setfsuid" -> identity(e, "CAP_SETUID");
            case "setgid", "setregid", "setresgid", "setfsgid", "setgroups" -> identity(e, "CAP_SETGID");
            case "mount",
                    "umount",
                    "umount2",
                    "pivot_root",
                    "sethostname",
                    "setdomainname",
                    "setns",
                    "swapon",
                    "swapoff",
                    "quotactl",
                    "fsopen",
                    "fsmount",
                    "move_mount" -> capability("CAP_SYS_ADMIN", e, e.name());
            case "unshare", "clone", "clone3" -> namespaces(e);
            case "chroot" -> capability("CAP_SYS_CHROOT", e, "chroot");
            case "settimeofday", "clock_settime", "stime" -> capability("CAP_SYS_TIME", e, e.name());
            case "init_module", "finit_module", "delete_module" -> capability("CAP_SYS_MODULE", e, e.name());
            case "reboot", "kexec_load", "kexec_file_load" -> capability("CAP_SYS_BOOT", e, e.name());
            case "iopl", "ioperm" -> capability("CAP_SYS_RAWIO", e, e.name());
            case "ptrace" -> {
                String request = e.argument(0);
                if (request.equals("PTRACE_ATTACH") || request.equals("PTRACE_SEIZE")) {
                    capability("CAP_SYS_PTRACE", e, "ptrace " + request);
                }
            }
            default -> {}
        }
    }

    private void openCall(SyscallEvent e, @Nullable String path, String flags) {
        Set<String> set = Set.of(flags.split("\\|"));
        boolean writes = false;
        for (String flag : set) {
            if (OPEN_WRITE_FLAGS.contains(flag.strip())) {
                writes = true;
                break;
            }
        }
        if (writes) {
            write(e, path, set.contains("O_CREAT") ? "create" : "open-write");
        }
    }

    private void chown(SyscallEvent e, @Nullable String path, int uidIndex) {
        write(e, path, "chown");
        if (!e.argument(uidIndex).equals("-1") || !e.argument(uidIndex + 1).equals("-1")) {
            capability("CAP_CHOWN", e, e.name() + " " + e.argument(uidIndex) + ":" + e.argument(uidIndex + 1));
        }
    }

    private void mknod(SyscallEvent e, @Nullable String path, String mode) {
        write(e, path, "mknod");
        if (mode.contains("S_IFCHR") || mode.contains("S_IFBLK")) {
            capability("CAP_MKNOD", e, "mknod of a device");
        }
    }

    private void identity(SyscallEvent e, String capability) {
        for (String argument : e.arguments()) {
            if (!argument.equals("-1")) {
                capability(capability, e, e.name());
                return;
            }
        }
    }

    private void namespaces(SyscallEvent e) {
        String flags = e.name().equals("clone3") ? StraceText.field(e.argument(0), "flags") : null;
        String text = flags != null ? flags : String.join(",", e.arguments());
        for (String flag : text.split("[|,{}= ]")) {
            if (flag.startsWith("CLONE_NEW") && !flag.equals("CLONE_NEWUSER")) {
                capability("CAP_SYS_ADMIN", e, e.name() + " " + flag);
                return;
            }
        }
    }

    private void socket(SyscallEvent e) {
        String domain = e.argument(0);
        String type = e.argument(1);
        if (domain.equals("AF_PACKET") || type.contains("SOCK_RAW")) {
            capability("CAP_NET_RAW", e, "socket " + domain + " " + (type.contains("SOCK_RAW") ? "SOCK_RAW" : type));
        }
    }

    private void bind(SyscallEvent e) {
        String family = StraceText.field(e.argument(1), "sa_family");
        if ("AF_UNIX".equals(family)) {
            String socketPath = unixPath(e.argument(1));
            if (socketPath != null) {
                addBounded(unixSockets, socketPath, "unix sockets");
                if (!socketPath.startsWith("@")) {
                    write(e, resolve(e.pid(), null, socketPath), "bind");
                }
            }
            return;
        }
        Endpoint endpoint = inet(protocol(e.argument(0)), e.argument(1));
        if (endpoint == null) {
            return;
        }
        if (endpoint.port() > 0 && endpoint.port() < 1024) {
            capability("CAP_NET_BIND_SERVICE", e, "bind " + endpoint.protocol() + " port " + endpoint.port());
        }
        if (boundSockets.size() < limits.maxProcesses()) {
            boundSockets.put(e.pid() + " " + fdNumber(e.argument(0)), endpoint);
        }
        if (endpoint.protocol().equals("udp") && endpoint.port() != 0 && !e.failed()) {
            addBounded(listening, endpoint, "listening sockets");
        }
    }

    private void program(SyscallEvent e, @Nullable String path) {
        if (path != null && !e.failed()) {
            addBounded(programs, path, "programs");
        }
    }

    private void listen(SyscallEvent e) {
        if (e.failed()) {
            return;
        }
        String annotation = StraceText.annotation(e.argument(0));
        Matcher m = annotation == null ? null : INET_ANNOTATION.matcher(annotation);
        if (m != null && m.matches()) {
            String address = m.group(2) != null ? m.group(2) : m.group(3);
            addBounded(listening, new Endpoint("tcp", address, Integer.parseInt(m.group(4))), "listening sockets");
            return;
        }
        Endpoint bound = boundSockets.get(e.pid() + " " + fdNumber(e.argument(0)));
        if (bound != null) {
            addBounded(listening, new Endpoint("tcp", bound.address(), bound.port()), "listening sockets");
        }
    }

    private void destination(SyscallEvent e, String sockaddr) {
        String family = StraceText.field(sockaddr, "sa_family");
        if ("AF_UNIX".equals(family)) {
            String socketPath = unixPath(sockaddr);
            if (socketPath != null && !e.failed()) {
                addBounded(unixSockets, socketPath, "unix sockets");
            }
            return;
        }
        Endpoint endpoint = inet(protocol(e.argument(0)), sockaddr);
        if (endpoint != null && endpoint.port() != 0) {
            addBounded(connections, endpoint, "network destinations");
        }
    }

    private static @Nullable String unixPath(String sockaddr) {
        String raw = StraceText.field(sockaddr, "sun_path");
        if (raw == null) {
            return null;
        }
        String value = StraceText.unquote(raw);
        if (value == null) {
            return null;
        }
        return raw.startsWith("@") ? "@" + value : value;
    }

    /** tcp or udp from the fd's {@code -yy} annotation ({@code TCP:[...]}, {@code UDPv6:[...]}). */
    private static String protocol(String fdArgument) {
        String annotation = StraceText.annotation(fdArgument);
        if (annotation == null) {
            return "";
        }
        if (annotation.startsWith("TCP")) {
            return "tcp";
        }
        if (annotation.startsWith("UDP")) {
            return "udp";
        }
        return "";
    }

    private static @Nullable Endpoint inet(String protocol, String sockaddr) {
        if (protocol.isEmpty()) {
            return null;
        }
        String family = StraceText.field(sockaddr, "sa_family");
        String port;
        String address;
        if ("AF_INET".equals(family)) {
            port = StraceText.field(sockaddr, "sin_port");
            String addr = StraceText.field(sockaddr, "sin_addr");
            address = addr == null ? null : firstQuoted(addr);
        } else if ("AF_INET6".equals(family)) {
            port = StraceText.field(sockaddr, "sin6_port");
            address = firstQuoted(sockaddr.substring(Math.max(0, sockaddr.indexOf("inet_pton("))));
        } else {
            return null;
        }
        if (port == null || address == null || !address.matches("[0-9a-fA-F:.]{1,64}")) {
            return null;
        }
        Matcher m = PORT.matcher(port);
        if (!m.matches()) {
            return null;
        }
        int value = Integer.parseInt(m.group(1));
        return value > 65535 ? null : new Endpoint(protocol, address, value);
    }

    private static @Nullable String firstQuoted(String text) {
        Matcher m = QUOTED_ARGUMENT.matcher(text);
        return m.find() ? StraceText.unquote(m.group()) : null;
    }

    private static String fdNumber(String fdArgument) {
        int i = 0;
        while (i < fdArgument.length() && Character.isDigit(fdArgument.charAt(i))) {
            i++;
        }
        return fdArgument.substring(0, i);
    }

    private void capability(String capability, SyscallEvent e, String evidence) {
        CapabilityNeed known = capabilities.get(capability);
        if (known == null) {
            capabilities.put(capability, new CapabilityNeed(capability, e.name(), evidence, 1));
        } else {
            capabilities.put(
                    capability, new CapabilityNeed(capability, known.syscall(), known.evidence(), known.count() + 1));
        }
    }

    private void write(SyscallEvent e, @Nullable String path, String operation) {
        if (path == null || underAny(path, KERNEL_FILESYSTEMS)) {
            return;
        }
        WriteStats stats = writes.get(path);
        if (stats == null) {
            if (writes.size() >= limits.maxDistinct()) {
                notes.add("more distinct written paths than " + limits.maxDistinct());
                return;
            }
            stats = new WriteStats();
            writes.put(path, stats);
        }
        stats.operations.add(operation);
        stats.count++;
        if (e.failed()) {
            stats.failures++;
        }
    }

    /** The path argument at {@code index}, resolved against the fd argument or the working directory. */
    private @Nullable String path(SyscallEvent e, @Nullable String dirFdArgument, int index) {
        String value = StraceText.unquote(e.argument(index));
        if (value == null || value.isEmpty()) {
            return null;
        }
        return resolve(e.pid(), dirFdArgument, value);
    }

    private @Nullable String resolve(int pid, @Nullable String dirFdArgument, String value) {
        if (value.startsWith("/")) {
            return normalize(value);
        }
        String base = dirFdArgument == null ? null : StraceText.annotation(dirFdArgument);
        if (base == null) {
            base = directories.getOrDefault(pid, workingDirectory);
        }
        return base.startsWith("/") ? normalize(base + "/" + value) : null;
    }

    private static @Nullable String fdPath(String fdArgument) {
        String annotation = StraceText.annotation(fdArgument);
        return annotation != null && annotation.startsWith("/") ? normalize(annotation) : null;
    }

    /** Remembers each process's directory from the {@code AT_FDCWD</dir>} strace prints with -yy. */
    private void rememberDirectory(SyscallEvent e) {
        if (e.arguments().isEmpty() || !e.argument(0).startsWith("AT_FDCWD<")) {
            return;
        }
        String directory = StraceText.annotation(e.argument(0));
        if (directory != null
                && directory.startsWith("/")
                && (directories.size() < limits.maxProcesses() || directories.containsKey(e.pid()))) {
            directories.put(e.pid(), directory);
        }
    }

    static String normalize(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    private static boolean underAny(String path, List<String> roots) {
        for (String root : roots) {
            if (under(path, root)) {
                return true;
            }
        }
        return false;
    }

    static boolean under(String path, String root) {
        return root.equals("/") || path.equals(root) || path.startsWith(root + "/");
    }

    private <T> void addBounded(Set<T> set, T value, String what) {
        if (set.size() < limits.maxDistinct() || set.contains(value)) {
            set.add(value);
        } else {
            notes.add("more " + what + " than " + limits.maxDistinct());
        }
    }

    /** The profile of everything read so far. */
    public TraceProfile profile(TraceProfile.Traced traced, Baseline baseline) {
        for (SyscallEvent e : parser.drain()) {
            record(e);
        }
        if (parser.droppedUnfinished() > 0) {
            notes.add(parser.droppedUnfinished() + " interrupted calls could not be joined with their end");
        }
        List<SyscallUse> uses = new ArrayList<>();
        Set<String> architecturesSeen = new TreeSet<>();
        Set<String> nativeNames = new TreeSet<>();
        syscalls.forEach((key, counts) -> {
            int space = key.indexOf(' ');
            String name = key.substring(0, space);
            String arch = key.substring(space + 1);
            uses.add(new SyscallUse(name, arch, counts[0], counts[1]));
            architecturesSeen.add(arch);
            if (arch.equals(nativeArchitecture)) {
                nativeNames.add(name);
            }
        });
        architecturesSeen.add(nativeArchitecture);
        List<String> orderedArchitectures = new ArrayList<>();
        orderedArchitectures.add(nativeArchitecture);
        architecturesSeen.stream().filter(a -> !a.equals(nativeArchitecture)).forEach(orderedArchitectures::add);

        List<PathWrite> pathWrites = new ArrayList<>();
        writes.forEach((path, stats) ->
                pathWrites.add(new PathWrite(path, List.copyOf(stats.operations), stats.count, stats.failures)));
        return new TraceProfile(
                TraceProfile.FORMAT_VERSION,
                traced,
                orderedArchitectures,
                uses,
                baseline.entries(traced.pid() != 0, nativeNames),
                List.copyOf(unknownSyscalls),
                pathWrites,
                filesystem(pathWrites),
                sorted(listening),
                sorted(connections),
                List.copyOf(unixSockets),
                List.copyOf(programs),
                List.copyOf(capabilities.values()),
                new TraceProfile.Completeness(lines, skippedLines, List.copyOf(notes)));
    }

    private static List<Endpoint> sorted(Set<Endpoint> endpoints) {
        List<Endpoint> list = new ArrayList<>(endpoints);
        list.sort(java.util.Comparator.comparing(Endpoint::protocol)
                .thenComparingInt(Endpoint::port)
                .thenComparing(Endpoint::address));
        return list;
    }

    /**
     * The directories that must stay writable: the parent of each path written successfully (a file's
     * directory entry or the file itself changes), scratch space collapsed to its root as a tmpfs, and
     * directories inside another one dropped.
     */
    static TraceProfile.Filesystem filesystem(List<PathWrite> pathWrites) {
        Map<String, String> kinds = new TreeMap<>();
        for (PathWrite w : pathWrites) {
            if (w.failures() >= w.count()) {
                continue;
            }
            String parent = parent(w.path());
            String scratch = null;
            for (String root : SCRATCH_ROOTS) {
                if (under(parent, root)) {
                    scratch = root;
                    break;
                }
            }
            if (scratch != null) {
                kinds.put(scratch, "tmpfs");
            } else {
                kinds.putIfAbsent(parent, "volume");
            }
        }
        List<Mount> mounts = new ArrayList<>();
        kinds.forEach((path, kind) -> {
            for (String other : kinds.keySet()) {
                if (!other.equals(path) && under(path, other)) {
                    return;
                }
            }
            mounts.add(new Mount(path, kind));
        });
        boolean readOnly = mounts.stream().noneMatch(m -> m.path().equals("/"));
        return new TraceProfile.Filesystem(readOnly, mounts);
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }
}
