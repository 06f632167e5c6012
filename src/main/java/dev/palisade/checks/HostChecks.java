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
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

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

    private static final List<String> PACKAGE_DATABASES =
            List.of("var/lib/dpkg/status", "var/lib/rpm", "usr/lib/sysimage/rpm", "lib/apk/db/installed");
    private static final Map<String, String> INSECURE_SERVER_PACKAGES = Map.ofEntries(
            Map.entry("telnetd", "a telnet server (clear-text logins)"),
            Map.entry("telnetd-ssl", "a telnet server (clear-text logins)"),
            Map.entry("inetutils-telnetd", "a telnet server (clear-text logins)"),
            Map.entry("telnet-server", "a telnet server (clear-text logins)"),
            Map.entry("rsh-server", "an rsh/rlogin/rexec server (clear-text remote shell)"),
            Map.entry("rsh-redone-server", "an rsh/rlogin server (clear-text remote shell)"),
            Map.entry("ftpd", "an FTP server (clear-text logins)"),
            Map.entry("inetutils-ftpd", "an FTP server (clear-text logins)"),
            Map.entry("vsftpd", "an FTP server (clear-text logins unless TLS is forced)"),
            Map.entry("proftpd-basic", "an FTP server (clear-text logins unless TLS is forced)"),
            Map.entry("proftpd-core", "an FTP server (clear-text logins unless TLS is forced)"),
            Map.entry("pure-ftpd", "an FTP server (clear-text logins unless TLS is forced)"),
            Map.entry("tftpd", "a TFTP server (unauthenticated file transfer)"),
            Map.entry("tftpd-hpa", "a TFTP server (unauthenticated file transfer)"),
            Map.entry("atftpd", "a TFTP server (unauthenticated file transfer)"),
            Map.entry("tftp-server", "a TFTP server (unauthenticated file transfer)"),
            Map.entry("talkd", "a talk server (clear-text chat)"),
            Map.entry("inetutils-talkd", "a talk server (clear-text chat)"),
            Map.entry("talk-server", "a talk server (clear-text chat)"),
            Map.entry("nis", "NIS (clear-text directory service that hands out password hashes)"),
            Map.entry("ypserv", "a NIS server (clear-text directory service that hands out password hashes)"));
    private static final Map<String, List<String>> TIME_SYNC = Map.of(
            "chrony", List.of("chrony", "chronyd"),
            "systemd-timesyncd", List.of("systemd-timesyncd"),
            "ntpsec", List.of("ntpsec", "ntpd"),
            "ntp", List.of("ntp", "ntpd"),
            "openntpd", List.of("openntpd"));
    private static final Set<String> NO_LOGIN_SHELLS = Set.of(
            "/usr/sbin/nologin", "/sbin/nologin", "/bin/false", "/usr/bin/false", "/bin/nologin", "/usr/bin/nologin");
    /** Accounts whose shell is the one command they exist for (CIS leaves them out). */
    private static final Set<String> SHUTDOWN_ACCOUNTS = Set.of("sync", "shutdown", "halt");

    private static final java.util.regex.Pattern SENSITIVE_LOG = java.util.regex.Pattern.compile(
            "var/log/(auth\\.log|syslog|messages|secure|kern\\.log|daemon\\.log|user\\.log|mail\\.log|audit/[^/]+"
                    + "|journal/.*\\.journal~?)(\\.\\d+)?(\\.gz|\\.xz)?");
    private static final java.util.regex.Pattern UMASK_LINE =
            java.util.regex.Pattern.compile("^\\s*umask\\s+(0?[0-7]{1,3})\\s*(#.*)?$");
    private static final java.util.regex.Pattern MINLEN_CONF =
            java.util.regex.Pattern.compile("^\\s*minlen\\s*=\\s*(-?\\d{1,9})\\s*$");
    private static final java.util.regex.Pattern MINLEN_ARGUMENT =
            java.util.regex.Pattern.compile("\\bminlen=(-?\\d{1,9})\\b");
    private static final java.util.regex.Pattern STORAGE =
            java.util.regex.Pattern.compile("^\\s*Storage\\s*=\\s*(\\S+)\\s*$");
    private static final java.util.regex.Pattern ONE_LINE_SOURCE =
            java.util.regex.Pattern.compile("^deb(?:-src)?\\s+(?:\\[([^\\]]*)\\]\\s+)?(\\S+)(?:\\s.*)?$");
    private static final java.util.regex.Pattern DEB822_FIELD =
            java.util.regex.Pattern.compile("^([A-Za-z][A-Za-z0-9-]*):\\s*(.*)$");
    private static final java.util.regex.Pattern INSECURE_APT_OPTION = java.util.regex.Pattern.compile(
            "(?i)^\\s*(Acquire::AllowInsecureRepositories|Acquire::AllowWeakRepositories|APT::Get::AllowUnauthenticated"
                    + "|Acquire::AllowDowngradeToInsecureRepositories)\\s+\"?(true|yes|1)\"?");
    private static final java.util.regex.Pattern MOUNT_OPTIONS =
            java.util.regex.Pattern.compile("(?m)^\\s*Options\\s*=\\s*(.*)$");
    /** The distributions' own archives: their keys ship in the keyring packages, so signed-by adds nothing there. */
    private static final List<String> DISTRIBUTION_HOSTS = List.of(
            "debian.org",
            "ubuntu.com",
            "canonical.com",
            "redhat.com",
            "fedoraproject.org",
            "almalinux.org",
            "rockylinux.org",
            "centos.org",
            "opensuse.org",
            "suse.com",
            "amazonaws.com");
    /** CIS's network parameters (ip forwarding, redirects, source routing, martians, rp_filter, SYN cookies). */
    private static final Map<String, KernelParameter> NETWORK_PARAMETERS = networkParameters();

    private static final Map<String, KernelParameter> MEMORY_PARAMETERS = new TreeMap<>(Map.of(
            "kernel.randomize_va_space",
            new KernelParameter("2", "2", "leaves address space layout randomisation partly or wholly off"),
            "fs.suid_dumpable",
            new KernelParameter("0", "0", "lets setuid programs dump core, secrets included")));

    private static Map<String, KernelParameter> networkParameters() {
        Map<String, KernelParameter> p = new TreeMap<>();
        String forwards = "makes the host route packets between its networks";
        p.put("net.ipv4.ip_forward", new KernelParameter("0", "0", forwards));
        p.put("net.ipv6.conf.all.forwarding", new KernelParameter("0", "0", forwards));
        String sends = "sends ICMP redirects, which only routers need";
        p.put("net.ipv4.conf.all.send_redirects", new KernelParameter("0", "1", sends));
        p.put("net.ipv4.conf.default.send_redirects", new KernelParameter("0", "1", sends));
        String accepts = "lets ICMP redirects change the routing table";
        for (String family : List.of("ipv4", "ipv6")) {
            for (String scope : List.of("all", "default")) {
                p.put("net." + family + ".conf." + scope + ".accept_redirects", new KernelParameter("0", "1", accepts));
                p.put(
                        "net." + family + ".conf." + scope + ".accept_source_route",
                        new KernelParameter("0", "0", "accepts source-routed packets"));
            }
        }
        p.put("net.ipv4.conf.all.secure_redirects", new KernelParameter("0", "1", accepts));
        p.put("net.ipv4.conf.default.secure_redirects", new KernelParameter("0", "1", accepts));
        String spoofed = "accepts packets whose source address cannot come from where they arrived";
        p.put("net.ipv4.conf.all.rp_filter", new KernelParameter("1", "0", spoofed));
        p.put("net.ipv4.conf.default.rp_filter", new KernelParameter("1", "0", spoofed));
        String martians = "does not log packets with impossible addresses";
        p.put("net.ipv4.conf.all.log_martians", new KernelParameter("1", "0", martians));
        p.put("net.ipv4.conf.default.log_martians", new KernelParameter("1", "0", martians));
        p.put("net.ipv4.tcp_syncookies", new KernelParameter("1", "1", "leaves the host open to SYN floods"));
        p.put(
                "net.ipv4.icmp_echo_ignore_broadcasts",
                new KernelParameter("1", "1", "answers broadcast pings (smurf amplification)"));
        p.put(
                "net.ipv4.icmp_ignore_bogus_error_responses",
                new KernelParameter("1", "1", "logs bogus ICMP error responses, filling the logs"));
        p.put(
                "net.ipv6.conf.all.accept_ra",
                new KernelParameter("0", "1", "lets router advertisements configure the host's addresses and routes"));
        p.put(
                "net.ipv6.conf.default.accept_ra",
                new KernelParameter("0", "1", "lets router advertisements configure the host's addresses and routes"));
        return java.util.Collections.unmodifiableMap(p);
    }

    private final CheckCatalog catalog;

    public HostChecks(CheckCatalog catalog) {
        this.catalog = catalog;
    }

    /** What the host checks found, and which checks applied to the root (the others are not applicable). */
    public record Result(List<Misconfiguration> misconfigurations, Set<String> applicable) {
        public Result {
            misconfigurations = List.copyOf(misconfigurations);
            applicable = Set.copyOf(applicable);
        }
    }

    public List<Misconfiguration> evaluate(FileTree tree, Set<String> installedPackages) {
        return assess(tree, installedPackages).misconfigurations();
    }

    /**
     * @param installedPackages names of the operating-system packages installed (dpkg, rpm, apk)
     */
    public Result assess(FileTree tree, Set<String> installedPackages) {
        Findings found = new Findings();
        boolean packageDatabase =
                PACKAGE_DATABASES.stream().anyMatch(p -> tree.resolveEntry(p).isPresent());
        ssh(tree, found);
        Map<String, String> enabled = services(tree, found);
        if (packageDatabase) {
            serverPackages(installedPackages, found);
            logging(tree, installedPackages, found);
            timeSynchronisation(installedPackages, enabled, found);
            fileIntegrity(tree, installedPackages, enabled, found);
        }
        accounts(tree, found);
        passwordPolicy(tree, installedPackages, found);
        files(tree, found);
        logFiles(tree, found);
        updates(tree, installedPackages, found);
        repositories(tree, found);
        if (tree.resolveEntry("etc").filter(e -> e.kind() == FileKind.DIRECTORY).isPresent()) {
            kernelParameters(tree, found);
        }
        mounts(tree, found);
        return new Result(found.misconfigurations, found.applicable);
    }

    /** The findings of one run, and the checks that applied. */
    private static final class Findings {
        private final List<Misconfiguration> misconfigurations = new ArrayList<>();
        private final Set<String> applicable = new TreeSet<>();

        void add(Misconfiguration misconfiguration) {
            misconfigurations.add(misconfiguration);
            applicable.add(misconfiguration.check().id());
        }

        void applies(String... ids) {
            applicable.addAll(List.of(ids));
        }
    }

    private void ssh(FileTree tree, Findings found) {
        if (tree.resolveEntry(SshdConfig.MAIN).isEmpty()
                && tree.resolveEntry("usr/sbin/sshd").isEmpty()) {
            return;
        }
        found.applies(
                "PAL-5001",
                "PAL-5002",
                "PAL-5003",
                "PAL-5004",
                "PAL-5005",
                "PAL-5006",
                "PAL-5007",
                "PAL-5008",
                "PAL-5009");
        SshdConfig config = SshdConfig.read(tree);
        sshSetting(
                config, found, "PAL-5001", "permitrootlogin", "PermitRootLogin", "prohibit-password", v -> switch (v) {
                    case "yes" -> "root may log in with a password";
                    case "prohibit-password", "without-password" -> "root may log in with a key";
                    default -> null;
                });
        sshSetting(
                config,
                found,
                "PAL-5002",
                "passwordauthentication",
                "PasswordAuthentication",
                "yes",
                v -> v.equals("yes") ? "passwords are accepted" : null);
        sshSetting(
                config,
                found,
                "PAL-5003",
                "permitemptypasswords",
                "PermitEmptyPasswords",
                "no",
                v -> v.equals("yes") ? "accounts with an empty password may log in" : null);
        sshSetting(
                config,
                found,
                "PAL-5004",
                "x11forwarding",
                "X11Forwarding",
                "no",
                v -> v.equals("yes") ? "X11 is forwarded" : null);
        for (String keyword : List.of("ciphers", "macs", "kexalgorithms")) {
            List<SshdConfig.Setting> settings = new ArrayList<>(config.inMatchBlocks(keyword));
            config.global(keyword).ifPresent(s -> settings.add(0, s));
            for (SshdConfig.Setting setting : settings) {
                List<String> weak = new ArrayList<>();
                for (String algorithm :
                        setting.value().replaceFirst("^[+^]", "").split(",")) {
                    if (WEAK_SSH.contains(algorithm.trim().toLowerCase(Locale.ROOT))) {
                        weak.add(algorithm.trim());
                    }
                }
                if (!weak.isEmpty()) {
                    found.add(at("PAL-5005", setting, keyword + " allows " + String.join(", ", weak)));
                }
            }
        }
        sshSetting(config, found, "PAL-5006", "clientaliveinterval", "ClientAliveInterval", "0", v -> {
            long seconds = SshdConfig.seconds(v);
            return seconds == 0
                    ? "idle sessions are never ended"
                    : seconds > 900 ? "idle sessions last over 15 minutes" : null;
        });
        sshSetting(
                config,
                found,
                "PAL-5006",
                "clientalivecountmax",
                "ClientAliveCountMax",
                "3",
                v -> v.equals("0") ? "idle sessions are never ended" : null);
        sshSetting(
                config,
                found,
                "PAL-5007",
                "maxauthtries",
                "MaxAuthTries",
                "6",
                v -> number(v) > 4 ? "more than 4 authentication attempts per connection" : null);
        sshSetting(config, found, "PAL-5007", "logingracetime", "LoginGraceTime", "120", v -> {
            long seconds = SshdConfig.seconds(v);
            return seconds == 0 || seconds > 60 ? "an unauthenticated connection is kept over 60 seconds" : null;
        });
        sshSetting(config, found, "PAL-5007", "maxstartups", "MaxStartups", "10:30:100", v -> {
            String[] parts = v.split(":");
            long start = number(parts[0]);
            long full = parts.length == 3 ? number(parts[2]) : start;
            long rate = parts.length == 3 ? number(parts[1]) : 100;
            return start > 10 || full > 60 || rate < 30 ? "more unauthenticated connections than 10:30:60" : null;
        });
        sshSetting(
                config,
                found,
                "PAL-5007",
                "maxsessions",
                "MaxSessions",
                "10",
                v -> number(v) > 10 ? "more than 10 sessions per connection" : null);
        sshSetting(
                config,
                found,
                "PAL-5008",
                "hostbasedauthentication",
                "HostbasedAuthentication",
                "no",
                v -> v.equals("yes") ? "other hosts are trusted to vouch for users" : null);
        sshSetting(
                config,
                found,
                "PAL-5008",
                "ignorerhosts",
                "IgnoreRhosts",
                "yes",
                v -> v.equals("no") ? ".rhosts and .shosts files are honoured" : null);
        sshSetting(
                config,
                found,
                "PAL-5008",
                "permituserenvironment",
                "PermitUserEnvironment",
                "no",
                v -> v.equals("no") ? null : "users may set environment variables for sshd (LD_PRELOAD)");
        sshSetting(
                config,
                found,
                "PAL-5009",
                "loglevel",
                "LogLevel",
                "info",
                v -> v.equals("info") || v.equals("verbose")
                        ? null
                        : v.startsWith("debug")
                                ? "debug logging may record private user data"
                                : "logins are not logged");
        sshSetting(
                config,
                found,
                "PAL-5009",
                "usepam",
                "UsePAM",
                "no",
                v -> v.equals("yes") ? null : "PAM's account, session and password policies are skipped");
    }

    /** A value judged permissive, with why; null when it is fine. */
    private interface SshJudge {
        @Nullable
        String permissive(String lowerCaseValue);
    }

    /**
     * Reports the global value of an sshd keyword (its default when unset) and every Match block's
     * value when the judge finds them permissive.
     */
    private void sshSetting(
            SshdConfig config,
            Findings found,
            String id,
            String keyword,
            String name,
            String defaultValue,
            SshJudge judge) {
        Optional<SshdConfig.Setting> global = config.global(keyword);
        if (global.isEmpty()) {
            String why = judge.permissive(defaultValue);
            if (why != null) {
                found.add(new Misconfiguration(
                        catalog.get(id),
                        SshdConfig.MAIN,
                        0,
                        name,
                        null,
                        name + " not set: OpenSSH's default is " + defaultValue + " (" + why + ")"));
            }
        } else {
            String why = judge.permissive(global.get().value().toLowerCase(Locale.ROOT));
            if (why != null) {
                found.add(at(id, global.get(), name + " " + global.get().value() + " (" + why + ")"));
            }
        }
        for (SshdConfig.Setting setting : config.inMatchBlocks(keyword)) {
            String why = judge.permissive(setting.value().toLowerCase(Locale.ROOT));
            if (why != null) {
                found.add(at(
                        id, setting, name + " " + setting.value() + " in Match " + setting.match() + " (" + why + ")"));
            }
        }
    }

    private static long number(String value) {
        String v = value.strip();
        return v.matches("\\d{1,9}") ? Long.parseLong(v) : Long.MAX_VALUE;
    }

    private Misconfiguration at(String id, SshdConfig.Setting setting, String message) {
        return new Misconfiguration(catalog.get(id), setting.path(), setting.line(), "", null, message);
    }

    static List<String> glob(FileTree tree, String pattern) {
        String directory = EntryPaths.parent(pattern);
        String name = EntryPaths.name(pattern);
        // the pattern comes from the scanned root's sshd_config: everything but * and ? is literal
        Wildcard glob = Wildcard.of(name);
        Optional<String> resolvedDirectory = tree.resolve(directory);
        List<String> matches = new ArrayList<>();
        if (resolvedDirectory.isEmpty()) {
            return matches;
        }
        for (FileEntry e : tree.children(resolvedDirectory.get())) {
            if (glob.matches(e.name())) {
                matches.add(e.path());
            }
        }
        matches.sort(null);
        return matches;
    }

    /** Reports the insecure and rarely needed services enabled; returns every enabled service and where. */
    private Map<String, String> services(FileTree tree, Findings found) {
        found.applies("PAL-5010", "PAL-5011");
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
        return enabled;
    }

    private void accounts(FileTree tree, Findings found) {
        if (tree.resolveEntry("etc/passwd").isPresent()) {
            found.applies("PAL-5020", "PAL-5021");
        }
        for (String file : List.of("etc/shadow", "etc/gshadow", "etc/passwd", "etc/group", "etc/sudoers")) {
            if (tree.entry(file).filter(e -> e.kind() == FileKind.FILE).isPresent()) {
                found.applies("PAL-5022");
            }
        }
        if (tree.resolveEntry("etc/sudoers").isPresent()) {
            found.applies("PAL-5023");
        }
        systemAccounts(tree, found);
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
                    // "Defaults !authenticate" drops the password for every rule, as NOPASSWD does for one
                    if (!l.startsWith("#")
                            && (l.contains("NOPASSWD") || l.matches("^Defaults\\b.*!\\s*authenticate\\b.*"))) {
                        found.add(new Misconfiguration(catalog.get("PAL-5023"), file, i + 1, "", null, l));
                    }
                }
            });
        }
    }

    private void permissions(FileTree tree, String path, int maximum, Findings found) {
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

    private void files(FileTree tree, Findings found) {
        found.applies("PAL-5024", "PAL-5025", "PAL-5026");
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

    private void updates(FileTree tree, Set<String> installedPackages, Findings found) {
        boolean debian = tree.resolveEntry("var/lib/dpkg/status").isPresent();
        if (!debian) {
            return;
        }
        found.applies("PAL-5030");
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

    /** Server packages of clear-text or unauthenticated protocols: installed is enough, inetd lines are easily re-enabled. */
    private void serverPackages(Set<String> installedPackages, Findings found) {
        found.applies("PAL-5012");
        for (String name : new TreeSet<>(installedPackages)) {
            String what = INSECURE_SERVER_PACKAGES.get(name);
            if (what != null) {
                found.add(new Misconfiguration(
                        catalog.get("PAL-5012"), "installed packages", 0, name, null, name + " is installed: " + what));
            }
        }
    }

    /** System accounts (UID below UID_MIN) must not have a login shell or a usable password. */
    private void systemAccounts(FileTree tree, Findings found) {
        Optional<String> passwd = read(tree, "etc/passwd");
        if (passwd.isEmpty()) {
            return;
        }
        found.applies("PAL-5027");
        Map<String, String> loginDefs = loginDefs(tree);
        long uidMin = number(loginDefs.getOrDefault("UID_MIN", "1000"));
        Set<String> system = new TreeSet<>();
        String[] lines = passwd.get().split("\n");
        for (int i = 0; i < lines.length; i++) {
            String[] f = lines[i].split(":", -1);
            if (f.length < 7 || f[0].equals("root") || !f[2].matches("\\d{1,9}")) {
                continue;
            }
            long uid = Long.parseLong(f[2]);
            if (uid >= uidMin && uid != 65534) {
                continue;
            }
            system.add(f[0]);
            String shell = f[6].strip();
            if (!NO_LOGIN_SHELLS.contains(shell) && !SHUTDOWN_ACCOUNTS.contains(f[0])) {
                found.add(new Misconfiguration(
                        catalog.get("PAL-5027"),
                        "etc/passwd",
                        i + 1,
                        f[0],
                        null,
                        "system account " + f[0] + " (UID " + uid + ") has the login shell " + shell));
            }
        }
        read(tree, "etc/shadow").ifPresent(text -> {
            String[] shadow = text.split("\n");
            for (int i = 0; i < shadow.length; i++) {
                String[] f = shadow[i].split(":", -1);
                // an empty password is PAL-5021's; "!" or "*" in front locks the password
                if (f.length >= 2
                        && system.contains(f[0])
                        && !f[1].isEmpty()
                        && !f[1].startsWith("!")
                        && !f[1].startsWith("*")) {
                    found.add(new Misconfiguration(
                            catalog.get("PAL-5027"),
                            "etc/shadow",
                            i + 1,
                            f[0],
                            null,
                            "system account " + f[0] + " has an unlocked password"));
                }
            }
        });
    }

    /** login.defs password aging, and a password quality module with a minimum length of 14. */
    private void passwordPolicy(FileTree tree, Set<String> installedPackages, Findings found) {
        if (tree.resolveEntry("etc/login.defs").isEmpty()) {
            return;
        }
        found.applies("PAL-5028", "PAL-5029", "PAL-5039");
        umask(tree, found);
        Map<String, String> defs = loginDefs(tree);
        agingSetting(defs, found, "PASS_MAX_DAYS", "99999", v -> v > 365, "passwords may be used longer than 365 days");
        agingSetting(defs, found, "PASS_MIN_DAYS", "0", v -> v < 1, "a password may be changed back at once");
        agingSetting(defs, found, "PASS_WARN_AGE", "7", v -> v < 7, "users are warned less than 7 days ahead");

        List<String> stacks = new ArrayList<>();
        for (String file : List.of("etc/pam.d/common-password", "etc/pam.d/system-auth", "etc/pam.d/password-auth")) {
            read(tree, file).ifPresent(text -> {
                for (String line : text.split("\n")) {
                    String l = line.strip();
                    if (!l.startsWith("#") && l.matches("(?i)^-?password\\s.*pam_(pwquality|cracklib)\\.so.*")) {
                        stacks.add(l);
                    }
                }
            });
        }
        if (stacks.isEmpty()) {
            found.add(new Misconfiguration(
                    catalog.get("PAL-5029"),
                    "etc/pam.d",
                    0,
                    "pam_pwquality",
                    null,
                    installedPackages.contains("libpam-pwquality")
                            ? "pam_pwquality is installed but not in the password stack"
                            : "no password quality module (pam_pwquality) in the password stack"));
            return;
        }
        // pwquality.conf, then its drop-ins in name order; options on the PAM line win over both
        String minlen = "8";
        String where = "etc/security/pwquality.conf";
        List<String> files = new ArrayList<>(List.of("etc/security/pwquality.conf"));
        files.addAll(glob(tree, "etc/security/pwquality.conf.d/*.conf"));
        for (String file : files) {
            Optional<String> text = read(tree, file);
            if (text.isEmpty()) {
                continue;
            }
            for (String line : text.get().split("\n")) {
                java.util.regex.Matcher m = MINLEN_CONF.matcher(line);
                if (m.matches()) {
                    minlen = m.group(1);
                    where = file;
                }
            }
        }
        for (String stack : stacks) {
            java.util.regex.Matcher m = MINLEN_ARGUMENT.matcher(stack);
            if (m.find()) {
                minlen = m.group(1);
                where = "etc/pam.d";
            }
        }
        if (number(minlen) < 14) {
            found.add(new Misconfiguration(
                    catalog.get("PAL-5029"),
                    where,
                    0,
                    "minlen",
                    null,
                    "passwords may be shorter than 14 characters (minlen " + minlen + ")"));
        }
    }

    /**
     * The umask new files get: login.defs UMASK (pam_umask and useradd read it), and the umask lines of
     * the shells' start-up files, which win for login shells. 027 or stricter keeps others out.
     */
    private void umask(FileTree tree, Findings found) {
        Map<String, String> defs = loginDefs(tree);
        String value = defs.getOrDefault("UMASK", "022");
        checkUmask(
                value,
                "etc/login.defs",
                0,
                defs.containsKey("UMASK") ? "UMASK " + value : "UMASK not set (default 022)",
                found);
        List<String> files = new ArrayList<>(List.of("etc/profile", "etc/bash.bashrc", "etc/bashrc"));
        files.addAll(glob(tree, "etc/profile.d/*.sh"));
        for (String file : files) {
            String[] lines = read(tree, file).orElse("").split("\n");
            for (int i = 0; i < lines.length; i++) {
                java.util.regex.Matcher m = UMASK_LINE.matcher(lines[i]);
                if (m.matches()) {
                    checkUmask(m.group(1), file, i + 1, "umask " + m.group(1), found);
                }
            }
        }
    }

    private void checkUmask(String value, String file, int line, String what, Findings found) {
        int mask = value.matches("0?[0-7]{1,3}") ? Integer.parseInt(value, 8) : 0;
        List<String> open = new ArrayList<>();
        if ((mask & 0020) == 0) {
            open.add("group-writable");
        }
        if ((mask & 0007) != 0007) {
            open.add("readable by others");
        }
        if (!open.isEmpty()) {
            found.add(new Misconfiguration(
                    catalog.get("PAL-5039"),
                    file,
                    line,
                    "umask",
                    null,
                    what + ": new files are " + String.join(" and ", open) + " (want 027)"));
        }
    }

    /** AIDE installed and run on a schedule (a timer or a cron job). */
    private void fileIntegrity(
            FileTree tree, Set<String> installedPackages, Map<String, String> enabled, Findings found) {
        found.applies("PAL-5040");
        if (!installedPackages.contains("aide") && !installedPackages.contains("aide-common")) {
            found.add(new Misconfiguration(
                    catalog.get("PAL-5040"),
                    "installed packages",
                    0,
                    "aide",
                    null,
                    "no file integrity checker: AIDE is not installed"));
            return;
        }
        boolean timer = tree.entries().stream()
                .anyMatch(e -> e.path().startsWith("etc/systemd/system/")
                        && e.path().contains(".wants/")
                        && e.name().matches("(daily)?aide(check)?\\.timer"));
        boolean cron = tree.entries().stream()
                .anyMatch(e -> (e.path().startsWith("etc/cron.") || e.path().equals("etc/crontab"))
                        && e.isRegularFile()
                        && (e.name().contains("aide")
                                || read(tree, e.path()).orElse("").contains("/aide")));
        if (!timer && !cron && !enabled.containsKey("dailyaidecheck")) {
            found.add(new Misconfiguration(
                    catalog.get("PAL-5040"),
                    "etc/systemd/system",
                    0,
                    "aide",
                    null,
                    "AIDE is installed but no timer or cron job runs it"));
        }
    }

    /** A login.defs number judged too permissive. */
    private interface AgingJudge {
        boolean permissive(long value);
    }

    private void agingSetting(
            Map<String, String> defs, Findings found, String key, String defaultValue, AgingJudge judge, String why) {
        String value = defs.get(key);
        long parsed = value == null ? number(defaultValue) : value.matches("-?\\d{1,9}") ? Long.parseLong(value) : -1;
        if (judge.permissive(parsed)) {
            found.add(new Misconfiguration(
                    catalog.get("PAL-5028"),
                    "etc/login.defs",
                    0,
                    key,
                    null,
                    (value == null ? key + " not set (default " + defaultValue + ")" : key + " " + value) + ": "
                            + why));
        }
    }

    /** login.defs keys and values; the last line of a key wins, as shadow's getdef reads it. */
    private static Map<String, String> loginDefs(FileTree tree) {
        Map<String, String> defs = new LinkedHashMap<>();
        read(tree, "etc/login.defs").ifPresent(text -> {
            for (String line : text.split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] parts = l.split("\\s+", 2);
                defs.put(parts[0], parts.length > 1 ? parts[1].strip() : "");
            }
        });
        return defs;
    }

    /** A system log that survives a reboot: rsyslog or syslog-ng, or journald with persistent storage. */
    private void logging(FileTree tree, Set<String> installedPackages, Findings found) {
        found.applies("PAL-5031");
        if (installedPackages.contains("rsyslog")
                || installedPackages.contains("syslog-ng")
                || installedPackages.contains("syslog-ng-core")
                || installedPackages.contains("sysklogd")) {
            return;
        }
        if (!installedPackages.contains("systemd")) {
            found.add(new Misconfiguration(
                    catalog.get("PAL-5031"),
                    "installed packages",
                    0,
                    "",
                    null,
                    "no system logger: neither rsyslog, syslog-ng nor systemd's journal is installed"));
            return;
        }
        // journald.conf, then the drop-ins of every directory by name (a name in /etc replaces the same name
        // elsewhere); the last Storage= wins
        String storage = "auto";
        String where = "etc/systemd/journald.conf";
        Map<String, String> dropIns = new TreeMap<>();
        for (String directory : List.of(
                "etc/systemd/journald.conf.d", "run/systemd/journald.conf.d", "usr/lib/systemd/journald.conf.d")) {
            for (String file : glob(tree, directory + "/*.conf")) {
                dropIns.putIfAbsent(EntryPaths.name(file), file);
            }
        }
        List<String> files = new ArrayList<>(List.of("etc/systemd/journald.conf"));
        files.addAll(dropIns.values());
        for (String file : files) {
            Optional<String> text = read(tree, file);
            if (text.isEmpty()) {
                continue;
            }
            for (String line : text.get().split("\n")) {
                java.util.regex.Matcher m = STORAGE.matcher(line);
                if (m.matches()) {
                    storage = m.group(1).toLowerCase(Locale.ROOT);
                    where = file;
                }
            }
        }
        boolean journalDirectory = tree.resolveEntry("var/log/journal")
                .filter(e -> e.kind() == FileKind.DIRECTORY)
                .isPresent();
        if (storage.equals("persistent") || (storage.equals("auto") && journalDirectory)) {
            return;
        }
        found.add(new Misconfiguration(
                catalog.get("PAL-5031"),
                where,
                0,
                "Storage",
                null,
                storage.equals("auto")
                        ? "the journal is kept in memory only: Storage=auto and no /var/log/journal, and no rsyslog"
                        : "the journal is not kept on disk (Storage=" + storage + ") and no rsyslog"));
    }

    /** Log files other users may change, or read when they hold authentication and system messages. */
    private void logFiles(FileTree tree, Findings found) {
        if (tree.resolveEntry("var/log").isEmpty()) {
            return;
        }
        found.applies("PAL-5032");
        for (FileEntry e : tree.entries()) {
            if (!e.path().startsWith("var/log/") || e.kind() != FileKind.FILE) {
                continue;
            }
            boolean writable = (e.mode() & 0002) != 0;
            boolean readable =
                    (e.mode() & 0004) != 0 && SENSITIVE_LOG.matcher(e.path()).matches();
            if (writable || readable) {
                found.add(new Misconfiguration(
                        catalog.get("PAL-5032"),
                        e.path(),
                        0,
                        "",
                        null,
                        String.format(
                                Locale.ROOT,
                                "%s is %s by all users (mode %04o)",
                                e.path(),
                                writable ? "writable" : "readable",
                                e.mode() & 07777)));
            }
        }
    }

    /** One time synchronisation daemon installed and enabled. */
    private void timeSynchronisation(Set<String> installedPackages, Map<String, String> enabled, Findings found) {
        found.applies("PAL-5033");
        List<String> installed = TIME_SYNC.keySet().stream()
                .filter(installedPackages::contains)
                .sorted()
                .toList();
        if (installed.isEmpty()) {
            found.add(
                    new Misconfiguration(
                            catalog.get("PAL-5033"),
                            "installed packages",
                            0,
                            "",
                            null,
                            "no time synchronisation: none of chrony, systemd-timesyncd, ntpsec, ntp or openntpd is installed"));
            return;
        }
        for (String name : installed) {
            if (TIME_SYNC.getOrDefault(name, List.of()).stream().anyMatch(enabled::containsKey)) {
                return;
            }
        }
        found.add(new Misconfiguration(
                catalog.get("PAL-5033"),
                "etc/systemd/system",
                0,
                String.join(",", installed),
                null,
                String.join(", ", installed) + " installed but not enabled at boot"));
    }

    /** Package sources whose signatures are not checked, or that any key APT trusts may sign. */
    private void repositories(FileTree tree, Findings found) {
        List<String> lists = new ArrayList<>();
        if (tree.resolveEntry("etc/apt/sources.list").isPresent()) {
            lists.add("etc/apt/sources.list");
        }
        lists.addAll(glob(tree, "etc/apt/sources.list.d/*.list"));
        List<String> deb822 = glob(tree, "etc/apt/sources.list.d/*.sources");
        List<String> yum = new ArrayList<>(glob(tree, "etc/yum.repos.d/*.repo"));
        yum.addAll(glob(tree, "etc/zypp/repos.d/*.repo"));
        boolean apt = tree.resolveEntry("etc/apt").isPresent();
        if (!apt && yum.isEmpty() && tree.resolveEntry("etc/dnf/dnf.conf").isEmpty()) {
            return;
        }
        found.applies("PAL-5034", "PAL-5035");
        for (String file : lists) {
            String[] lines = read(tree, file).orElse("").split("\n");
            for (int i = 0; i < lines.length; i++) {
                java.util.regex.Matcher m = ONE_LINE_SOURCE.matcher(lines[i].strip());
                if (m.matches()) {
                    String options = m.group(1) == null ? "" : m.group(1).toLowerCase(Locale.ROOT);
                    source(file, i + 1, m.group(2), options.matches("(?s).*\\bsigned-by=.*"), options, found);
                }
            }
        }
        for (String file : deb822) {
            String text = read(tree, file).orElse("");
            int line = 1;
            for (String stanza : text.split("\n\\s*\n")) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (String l : stanza.split("\n")) {
                    java.util.regex.Matcher m = DEB822_FIELD.matcher(l);
                    if (m.matches()) {
                        fields.put(
                                m.group(1).toLowerCase(Locale.ROOT), m.group(2).strip());
                    }
                }
                if (!fields.getOrDefault("enabled", "yes").equalsIgnoreCase("no") && fields.containsKey("uris")) {
                    String options = "";
                    for (String option : List.of("trusted", "allow-insecure", "allow-weak")) {
                        if (fields.containsKey(option)) {
                            options += option + "=" + fields.get(option).toLowerCase(Locale.ROOT) + " ";
                        }
                    }
                    for (String uri : fields.get("uris").split("\\s+")) {
                        source(file, line, uri, fields.containsKey("signed-by"), options, found);
                    }
                }
                line += stanza.split("\n", -1).length + 1;
            }
        }
        List<String> aptConf = new ArrayList<>(List.of("etc/apt/apt.conf"));
        aptConf.addAll(glob(tree, "etc/apt/apt.conf.d/*"));
        for (String file : aptConf) {
            String[] lines = read(tree, file).orElse("").split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (INSECURE_APT_OPTION.matcher(lines[i]).find()) {
                    found.add(new Misconfiguration(catalog.get("PAL-5034"), file, i + 1, "", null, lines[i].strip()));
                }
            }
        }
        List<String> rpmConf = new ArrayList<>(yum);
        rpmConf.add("etc/dnf/dnf.conf");
        rpmConf.add("etc/yum.conf");
        for (String file : rpmConf) {
            String[] lines = read(tree, file).orElse("").split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].strip().matches("(?i)(repo_)?gpgcheck\\s*=\\s*(0|no|false)")) {
                    found.add(new Misconfiguration(
                            catalog.get("PAL-5034"),
                            file,
                            i + 1,
                            "gpgcheck",
                            null,
                            lines[i].strip() + ": packages are installed without checking their signatures"));
                }
            }
        }
    }

    private void source(String file, int line, String uri, boolean signedBy, String options, Findings found) {
        for (String insecure : List.of("trusted=yes", "allow-insecure=yes", "allow-weak=yes")) {
            if (options.contains(insecure)) {
                found.add(new Misconfiguration(
                        catalog.get("PAL-5034"),
                        file,
                        line,
                        uri,
                        null,
                        uri + " is used with " + insecure + ": APT does not require a valid signature"));
            }
        }
        String host =
                uri.replaceFirst("^[a-z+]+://", "").replaceFirst("[/:].*$", "").toLowerCase(Locale.ROOT);
        boolean distribution = DISTRIBUTION_HOSTS.stream().anyMatch(d -> host.equals(d) || host.endsWith("." + d));
        if (!signedBy && !distribution) {
            found.add(new Misconfiguration(
                    catalog.get("PAL-5035"),
                    file,
                    line,
                    uri,
                    null,
                    uri + " has no signed-by: any key APT trusts may sign it"
                            + (uri.startsWith("http://") ? ", and it is fetched in clear text" : "")));
        }
    }

    /** Network and memory kernel parameters as the root sets them at boot, the kernel's default where it does not. */
    private void kernelParameters(FileTree tree, Findings found) {
        found.applies("PAL-5036", "PAL-5037");
        Set<String> keys = new TreeSet<>(NETWORK_PARAMETERS.keySet());
        keys.addAll(MEMORY_PARAMETERS.keySet());
        KernelParameters parameters = KernelParameters.read(tree, keys);
        for (Map.Entry<String, KernelParameter> e : NETWORK_PARAMETERS.entrySet()) {
            parameter(parameters, e.getKey(), e.getValue(), "PAL-5036", found);
        }
        for (Map.Entry<String, KernelParameter> e : MEMORY_PARAMETERS.entrySet()) {
            parameter(parameters, e.getKey(), e.getValue(), "PAL-5037", found);
        }
    }

    /** The value a hardened host wants, the kernel's own default, and why it matters. */
    private record KernelParameter(String wanted, String kernelDefault, String why) {}

    private void parameter(KernelParameters parameters, String key, KernelParameter wanted, String id, Findings found) {
        Optional<KernelParameters.Value> set = parameters.get(key);
        if (set.isEmpty()) {
            if (!wanted.kernelDefault().equals(wanted.wanted())) {
                found.add(new Misconfiguration(
                        catalog.get(id),
                        "etc/sysctl.d",
                        0,
                        key,
                        null,
                        key + " is not set: the kernel's default " + wanted.kernelDefault() + " " + wanted.why()));
            }
        } else if (!set.get().value().equals(wanted.wanted())) {
            found.add(new Misconfiguration(
                    catalog.get(id),
                    set.get().path(),
                    set.get().line(),
                    key,
                    null,
                    key + " = " + set.get().value() + " " + wanted.why() + " (want " + wanted.wanted() + ")"));
        }
    }

    /** /tmp, /var/tmp and /dev/shm mounted nodev, nosuid and noexec, from fstab or systemd's tmp.mount. */
    private void mounts(FileTree tree, Findings found) {
        Map<String, String[]> fstab = new LinkedHashMap<>(); // mount point -> options, line
        read(tree, "etc/fstab").ifPresent(text -> {
            String[] lines = text.split("\n");
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i].strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] f = l.split("\\s+");
                if (f.length >= 3) {
                    fstab.put(
                            f[1].replaceFirst("(.)/+$", "$1"),
                            new String[] {f.length >= 4 ? f[3] : "defaults", Integer.toString(i + 1)});
                }
            }
        });
        if (fstab.isEmpty()) {
            // a chroot or container root, or fstab left unconfigured: nothing says how the machine mounts
            return;
        }
        found.applies("PAL-5038");
        for (String point : List.of("/tmp", "/var/tmp", "/dev/shm")) {
            String[] entry = fstab.get(point);
            String where = "etc/fstab";
            int line = 0;
            String options;
            if (entry != null) {
                options = entry[0];
                line = Integer.parseInt(entry[1]);
            } else if (point.equals("/tmp") && tmpMount(tree).isPresent()) {
                where = tmpMount(tree).get();
                options = tmpMountOptions(tree);
            } else if (point.equals("/tmp")) {
                found.add(new Misconfiguration(
                        catalog.get("PAL-5038"),
                        "etc/fstab",
                        0,
                        point,
                        null,
                        "/tmp is not a separate file system: it cannot be mounted nodev, nosuid, noexec"));
                continue;
            } else if (point.equals("/dev/shm")) {
                options = "nosuid,nodev"; // systemd mounts it so when fstab does not name it
                where = "etc/fstab";
            } else {
                continue; // /var/tmp on the root file system: a separate partition is level 2
            }
            List<String> missing = new ArrayList<>();
            for (String wanted : List.of("nodev", "nosuid", "noexec")) {
                if (!mountOption(options, wanted)) {
                    missing.add(wanted);
                }
            }
            if (!missing.isEmpty()) {
                found.add(new Misconfiguration(
                        catalog.get("PAL-5038"),
                        where,
                        line,
                        point,
                        null,
                        point + " is mounted without " + String.join(", ", missing) + " (options " + options + ")"));
            }
        }
    }

    /** Whether {@code no<flag>} is in effect: the last of {@code noexec}/{@code exec} (and defaults, which mean exec) wins. */
    private static boolean mountOption(String options, String wanted) {
        String positive = wanted.substring(2);
        boolean set = false;
        for (String option : options.split(",")) {
            String o = option.strip().toLowerCase(Locale.ROOT);
            // user and users imply noexec, nosuid and nodev unless a later option says otherwise
            if (o.equals(wanted) || o.equals("user") || o.equals("users")) {
                set = true;
            } else if (o.equals(positive) || o.equals("defaults")) {
                set = false;
            }
        }
        return set;
    }

    /** The unit file of systemd's tmp.mount when it is enabled (a .wants link, in /etc or shipped so) and not masked. */
    private static Optional<String> tmpMount(FileTree tree) {
        boolean masked = tree.entry("etc/systemd/system/tmp.mount")
                .filter(e -> e.kind() == FileKind.SYMLINK && "/dev/null".equals(e.linkTarget()))
                .isPresent();
        if (masked) {
            return Optional.empty();
        }
        for (String link : List.of(
                "etc/systemd/system/local-fs.target.wants/tmp.mount",
                "usr/lib/systemd/system/local-fs.target.wants/tmp.mount",
                "lib/systemd/system/local-fs.target.wants/tmp.mount")) {
            if (tree.entry(link).isPresent()) {
                return Optional.of(link);
            }
        }
        return Optional.empty();
    }

    private static String tmpMountOptions(FileTree tree) {
        for (String unit : List.of(
                "etc/systemd/system/tmp.mount", "usr/lib/systemd/system/tmp.mount", "lib/systemd/system/tmp.mount")) {
            Optional<String> text = read(tree, unit);
            if (text.isPresent()) {
                java.util.regex.Matcher m = MOUNT_OPTIONS.matcher(text.get());
                return m.find() ? m.group(1).strip() : "defaults";
            }
        }
        return "defaults";
    }

    /** A text file of the root, found through the tree (links resolved inside the root), bounded. */
    static Optional<String> read(FileTree tree, String path) {
        try {
            return tree.readResolved(path, MAX_CONFIG).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
