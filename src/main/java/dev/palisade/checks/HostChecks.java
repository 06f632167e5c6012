package dev.palisade.checks;

import dev.palisade.source.EntryPaths;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileKind;
import dev.palisade.source.FileTree;
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
 * Hardening checks on a virtual machine's root file system: the SSH daemon's configuration, enabled
 * network services, accounts and file permissions, and automatic updates. Files are read from the
 * directory through the merged tree, so links resolve inside the root only.
 */
public final class HostChecks {
    private static final long MAX_CONFIG = 1024 * 1024;
    private static final Map<String, String> INSECURE_SERVICES = Map.ofEntries(
            Map.entry("telnet", "telnet: clear-text logins on port 23"),
                    Map.entry("telnetd", "telnet: clear-text logins on port 23"),
            Map.entry("inetutils-telnetd", "telnet: clear-text logins on port 23"),
                    Map.entry("rsh", "rsh: clear-text remote shell on port 514"),
            Map.entry("rlogin", "rlogin: clear-text logins on port 513"),
                    Map.entry("rexec", "rexec: clear-text remote execution on port 512"),
            Map.entry("ftp", "FTP: clear-text logins on port 21"),
                    Map.entry("vsftpd", "FTP: clear-text logins on port 21"),
            Map.entry("proftpd", "FTP: clear-text logins on port 21"),
                    Map.entry("pure-ftpd", "FTP: clear-text logins on port 21"),
            Map.entry("tftp", "TFTP: unauthenticated file transfer on port 69"),
                    Map.entry("tftpd-hpa", "TFTP: unauthenticated file transfer on port 69"));
    private static final Map<String, String> RARELY_NEEDED = Map.ofEntries(
            Map.entry("apache2", "a web server on ports 80/443"),
            Map.entry("nginx", "a web server on ports 80/443"),
            Map.entry("httpd", "a web server on ports 80/443"),
            Map.entry("lighttpd", "a web server on ports 80/443"),
            Map.entry("avahi-daemon", "zeroconf (mDNS) on port 5353"),
            Map.entry("cups", "a print server on port 631"),
            Map.entry("cups-browsed", "printer discovery on port 631"),
            Map.entry("rpcbind", "the RPC port mapper on port 111"),
            Map.entry("snmpd", "SNMP on port 161"),
            Map.entry("nfs-server", "NFS on port 2049"),
            Map.entry("smbd", "SMB file sharing on port 445"),
            Map.entry("nmbd", "NetBIOS on ports 137-139"),
            Map.entry("xinetd", "the xinetd super-server"),
            Map.entry("inetutils-inetd", "the inetd super-server"),
            Map.entry("openbsd-inetd", "the inetd super-server"),
            Map.entry("slapd", "an LDAP server on port 389"),
            Map.entry("bind9", "a DNS server on port 53"),
            Map.entry("named", "a DNS server on port 53"),
            Map.entry("dovecot", "an IMAP/POP3 server"),
            Map.entry("squid", "a web proxy on port 3128"));
    private static final Set<String> EXPECTED_SETID = Set.of(
            "su",
            "sudo",
            "passwd",
            "chsh",
            "chfn",
            "gpasswd",
            "newgrp",
            "mount",
            "umount",
            "ping",
            "ping6",
            "pkexec",
            "fusermount",
            "fusermount3",
            "ssh-keysign",
            "dbus-daemon-launch-helper",
            "unix_chkpwd",
            "chage",
            "expiry",
            "wall",
            "write",
            "crontab",
            "ssh-agent",
            "newuidmap",
            "newgidmap",
            "polkit-agent-helper-1",
            "Xorg.wrap",
            "ntfs-3g",
            "at",
            "dotlockfile",
            "mail-lock",
            "mail-unlock",
            "mail-touchlock",
            "bsd-write",
            "utempter",
            "pt_chown",
            "sg",
            "vmware-user-suid-wrapper",
            "chrome-sandbox");
    private static final List<String> WEAK_SSH = List.of(
            "3des-cbc",
            "aes128-cbc",
            "aes192-cbc",
            "aes256-cbc",
            "blowfish-cbc",
            "cast128-cbc",
            "arcfour",
            "arcfour128",
            "arcfour256",
            "hmac-md5",
            "hmac-md5-96",
            "hmac-sha1",
            "hmac-sha1-96",
            "umac-64@openssh.com",
            "diffie-hellman-group1-sha1",
            "diffie-hellman-group14-sha1",
            "diffie-hellman-group-exchange-sha1");
    private static final List<String> SYSTEM_PATHS =
            List.of("etc/", "usr/", "bin/", "sbin/", "lib/", "lib64/", "opt/", "boot/", "var/lib/", "var/log/");

    private final CheckCatalog catalog;

    public HostChecks(CheckCatalog catalog) {
        this.catalog = catalog;
    }

    public List<Misconfiguration> evaluate(FileTree tree, Set<String> installedPackages) {
        List<Misconfiguration> found = new ArrayList<>();
        ssh(tree, found);
        services(tree, found);
        accounts(tree, found);
        files(tree, found);
        updates(tree, installedPackages, found);
        return found;
    }

    private void ssh(FileTree tree, List<Misconfiguration> found) {
        if (tree.resolveEntry("etc/ssh/sshd_config").isEmpty()
                && tree.resolveEntry("usr/sbin/sshd").isEmpty()) {
            return;
        }
        Map<String, String[]> settings = new LinkedHashMap<>();
        readSshd(tree, "etc/ssh/sshd_config", settings, new java.util.HashSet<>(), 0);
        String where = "etc/ssh/sshd_config";
        String[] rootLogin = settings.get("permitrootlogin");
        if (rootLogin != null && rootLogin[0].equalsIgnoreCase("yes")) {
            found.add(at("PAL-5001", rootLogin, "PermitRootLogin yes"));
        }
        String[] password = settings.get("passwordauthentication");
        if (password == null) {
            found.add(new Misconfiguration(
                    catalog.get("PAL-5002"),
                    where,
                    0,
                    "PasswordAuthentication",
                    null,
                    "PasswordAuthentication not set: OpenSSH's default is yes"));
        } else if (password[0].equalsIgnoreCase("yes")) {
            found.add(at("PAL-5002", password, "PasswordAuthentication yes"));
        }
        String[] empty = settings.get("permitemptypasswords");
        if (empty != null && empty[0].equalsIgnoreCase("yes")) {
            found.add(at("PAL-5003", empty, "PermitEmptyPasswords yes"));
        }
        String[] x11 = settings.get("x11forwarding");
        if (x11 != null && x11[0].equalsIgnoreCase("yes")) {
            found.add(at("PAL-5004", x11, "X11Forwarding yes"));
        }
        for (String key : List.of("ciphers", "macs", "kexalgorithms")) {
            String[] value = settings.get(key);
            if (value == null) {
                continue;
            }
            List<String> weak = new ArrayList<>();
            for (String algorithm : value[0].replaceFirst("^[+]", "").split(",")) {
                if (WEAK_SSH.contains(algorithm.trim().toLowerCase(Locale.ROOT))) {
                    weak.add(algorithm.trim());
                }
            }
            if (!weak.isEmpty()) {
                found.add(at("PAL-5005", value, key + " allows " + String.join(", ", weak)));
            }
        }
    }

    private Misconfiguration at(String id, String[] setting, String message) {
        return new Misconfiguration(catalog.get(id), setting[1], Integer.parseInt(setting[2]), "", null, message);
    }

    /** sshd's rule: the first value obtained for a keyword wins; Include pulls files in where it stands; Match blocks end the global part. */
    private void readSshd(FileTree tree, String path, Map<String, String[]> settings, Set<String> visited, int depth) {
        // sshd itself refuses Include nesting deeper than 16; files that include each other would
        // otherwise be read again at every level (exponential), so each file is read once.
        if (depth > 16 || !visited.add(tree.resolve(path).orElse(path))) {
            return;
        }
        Optional<String> text = read(tree, path);
        if (text.isEmpty()) {
            return;
        }
        String[] lines = text.get().split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("[\\s=]+", 2);
            String key = parts[0].toLowerCase(Locale.ROOT);
            String value = parts.length > 1 ? parts[1].strip() : "";
            if (key.equals("match")) {
                return;
            }
            if (key.equals("include")) {
                for (String pattern : value.split("\\s+")) {
                    String relative = pattern.startsWith("/") ? pattern.substring(1) : "etc/ssh/" + pattern;
                    for (String included : glob(tree, relative)) {
                        readSshd(tree, included, settings, visited, depth + 1);
                    }
                }
                continue;
            }
            settings.putIfAbsent(key, new String[] {value, path, Integer.toString(i + 1)});
        }
    }

    private static List<String> glob(FileTree tree, String pattern) {
        String directory = EntryPaths.parent(pattern);
        String name = EntryPaths.name(pattern);
        // the pattern comes from the scanned root's sshd_config: everything but * and ? is literal
        StringBuilder glob = new StringBuilder();
        for (String part : name.split("(?<=[*?])|(?=[*?])")) {
            glob.append(part.equals("*") ? "[^/]*" : part.equals("?") ? "[^/]" : java.util.regex.Pattern.quote(part));
        }
        java.util.regex.Pattern regex = java.util.regex.Pattern.compile(glob.toString());
        Optional<String> resolvedDirectory = tree.resolve(directory);
        List<String> matches = new ArrayList<>();
        if (resolvedDirectory.isEmpty()) {
            return matches;
        }
        for (FileEntry e : tree.children(resolvedDirectory.get())) {
            if (regex.matcher(e.name()).matches()) {
                matches.add(e.path());
            }
        }
        matches.sort(null);
        return matches;
    }

    private void services(FileTree tree, List<Misconfiguration> found) {
        Map<String, String> enabled = new LinkedHashMap<>(); // service -> where it is enabled
        for (FileEntry e : tree.entries()) {
            String path = e.path();
            if ((path.startsWith("etc/systemd/system/")
                    && path.contains(".wants/")
                    && (path.endsWith(".service") || path.endsWith(".socket")))) {
                String unit = e.name().replaceFirst("\\.(service|socket)$", "").replaceFirst("@$", "");
                enabled.putIfAbsent(unit, path);
            } else if (path.matches("etc/rc[2-5]\\.d/S\\d*[^/]+")) {
                enabled.putIfAbsent(e.name().replaceFirst("^S\\d*", ""), path);
            } else if (path.startsWith("etc/xinetd.d/") && e.isRegularFile()) {
                read(tree, path)
                        .filter(t -> !t.matches("(?s).*\\bdisable\\s*=\\s*yes\\b.*"))
                        .ifPresent(t -> enabled.putIfAbsent(e.name(), path));
            }
        }
        read(tree, "etc/inetd.conf").ifPresent(text -> {
            String[] lines = text.split("\n");
            for (String line : lines) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    enabled.putIfAbsent(l.split("\\s+")[0].replaceFirst("^.*:", ""), "etc/inetd.conf");
                }
            }
        });
        for (Map.Entry<String, String> service : enabled.entrySet()) {
            String name = service.getKey().toLowerCase(Locale.ROOT);
            if (INSECURE_SERVICES.containsKey(name)) {
                found.add(new Misconfiguration(
                        catalog.get("PAL-5010"),
                        service.getValue(),
                        0,
                        name,
                        null,
                        name + " is enabled: " + INSECURE_SERVICES.get(name)));
            } else if (RARELY_NEEDED.containsKey(name)) {
                found.add(new Misconfiguration(
                        catalog.get("PAL-5011"),
                        service.getValue(),
                        0,
                        name,
                        null,
                        name + " is enabled: " + RARELY_NEEDED.get(name)));
            }
        }
    }

    private void accounts(FileTree tree, List<Misconfiguration> found) {
        read(tree, "etc/passwd").ifPresent(text -> {
            String[] lines = text.split("\n");
            for (int i = 0; i < lines.length; i++) {
                String[] f = lines[i].split(":", -1);
                if (f.length >= 4 && f[2].equals("0") && !f[0].equals("root")) {
                    found.add(new Misconfiguration(
                            catalog.get("PAL-5020"),
                            "etc/passwd",
                            i + 1,
                            f[0],
                            null,
                            "account " + f[0] + " has UID 0"));
                }
                if (f.length >= 2 && f[1].isEmpty()) {
                    found.add(new Misconfiguration(
                            catalog.get("PAL-5021"),
                            "etc/passwd",
                            i + 1,
                            f[0],
                            null,
                            "account " + f[0] + " has an empty password field"));
                }
            }
        });
        read(tree, "etc/shadow").ifPresent(text -> {
            String[] lines = text.split("\n");
            for (int i = 0; i < lines.length; i++) {
                String[] f = lines[i].split(":", -1);
                if (f.length >= 2 && f[1].isEmpty() && !f[0].isEmpty()) {
                    found.add(new Misconfiguration(
                            catalog.get("PAL-5021"),
                            "etc/shadow",
                            i + 1,
                            f[0],
                            null,
                            "account " + f[0] + " has an empty password"));
                }
            }
        });
        permissions(tree, "etc/shadow", 0640, found);
        permissions(tree, "etc/gshadow", 0640, found);
        permissions(tree, "etc/passwd", 0644, found);
        permissions(tree, "etc/group", 0644, found);
        permissions(tree, "etc/sudoers", 0440, found);
        List<String> sudoers = new ArrayList<>(List.of("etc/sudoers"));
        sudoers.addAll(glob(tree, "etc/sudoers.d/*"));
        for (String file : sudoers) {
            read(tree, file).ifPresent(text -> {
                String[] lines = text.split("\n");
                for (int i = 0; i < lines.length; i++) {
                    String l = lines[i].strip();
                    if (!l.startsWith("#") && l.contains("NOPASSWD")) {
                        found.add(new Misconfiguration(catalog.get("PAL-5023"), file, i + 1, "", null, l));
                    }
                }
            });
        }
    }

    private void permissions(FileTree tree, String path, int maximum, List<Misconfiguration> found) {
        tree.entry(path).filter(e -> e.kind() == FileKind.FILE).ifPresent(e -> {
            int extra = e.mode() & 0777 & ~maximum;
            if (extra != 0 || e.uid() != 0) {
                found.add(new Misconfiguration(
                        catalog.get("PAL-5022"),
                        path,
                        0,
                        "",
                        null,
                        String.format(
                                Locale.ROOT,
                                "%s is mode %04o owned by uid %d (expected at most %04o, owner root)",
                                path,
                                e.mode() & 07777,
                                e.uid(),
                                maximum)));
            }
        });
    }

    private void files(FileTree tree, List<Misconfiguration> found) {
        Set<String> reported = new TreeSet<>();
        for (FileEntry e : tree.entries()) {
            String path = e.path();
            boolean system = SYSTEM_PATHS.stream().anyMatch(path::startsWith);
            boolean worldWritable = (e.mode() & 0002) != 0;
            if (system && worldWritable && e.kind() == FileKind.FILE) {
                found.add(new Misconfiguration(
                        catalog.get("PAL-5024"),
                        path,
                        0,
                        "",
                        null,
                        String.format(Locale.ROOT, "%s is world-writable (mode %04o)", path, e.mode() & 07777)));
            } else if (system && worldWritable && e.kind() == FileKind.DIRECTORY && (e.mode() & 01000) == 0) {
                found.add(new Misconfiguration(
                        catalog.get("PAL-5024"),
                        path,
                        0,
                        "",
                        null,
                        String.format(
                                Locale.ROOT,
                                "directory %s is world-writable without the sticky bit (mode %04o)",
                                path,
                                e.mode() & 07777)));
            }
            boolean cron =
                    path.equals("etc/crontab") || path.startsWith("etc/cron.") || path.startsWith("var/spool/cron/");
            if (cron
                    && (e.mode() & 0022) != 0
                    && e.kind() != FileKind.SYMLINK
                    && !path.startsWith("var/spool/cron/crontabs")
                    && reported.add(path)) {
                found.add(new Misconfiguration(
                        catalog.get("PAL-5025"),
                        path,
                        0,
                        "",
                        null,
                        String.format(
                                Locale.ROOT, "%s is writable by group or others (mode %04o)", path, e.mode() & 07777)));
            }
            if (e.kind() == FileKind.FILE && (e.mode() & 06000) != 0 && !EXPECTED_SETID.contains(e.name())) {
                found.add(new Misconfiguration(
                        catalog.get("PAL-5026"),
                        path,
                        0,
                        "",
                        null,
                        String.format(
                                Locale.ROOT,
                                "%s is %s (mode %04o, owner uid %d)",
                                path,
                                (e.mode() & 04000) != 0 ? "setuid" : "setgid",
                                e.mode() & 07777,
                                e.uid())));
            }
        }
    }

    private void updates(FileTree tree, Set<String> installedPackages, List<Misconfiguration> found) {
        boolean debian = tree.resolveEntry("var/lib/dpkg/status").isPresent();
        if (!debian) {
            return;
        }
        if (!installedPackages.contains("unattended-upgrades")) {
            found.add(new Misconfiguration(
                    catalog.get("PAL-5030"),
                    "var/lib/dpkg/status",
                    0,
                    "",
                    null,
                    "unattended-upgrades is not installed"));
            return;
        }
        boolean enabled = false;
        for (String file : glob(tree, "etc/apt/apt.conf.d/*")) {
            enabled |= read(tree, file)
                    .map(t -> t.matches("(?s).*APT::Periodic::Unattended-Upgrade\\s+\"1\".*"))
                    .orElse(false);
        }
        if (!enabled) {
            found.add(new Misconfiguration(
                    catalog.get("PAL-5030"),
                    "etc/apt/apt.conf.d",
                    0,
                    "",
                    null,
                    "unattended-upgrades is installed but APT::Periodic::Unattended-Upgrade is not \"1\""));
        }
    }

    /** A text file of the root, found through the tree (links resolved inside the root), bounded. */
    private static Optional<String> read(FileTree tree, String path) {
        try {
            return tree.readResolved(path, MAX_CONFIG).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
