package dev.palisade.checks;

import static dev.palisade.checks.HostChecksTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.testing.Cli;
import dev.palisade.testing.JsonReports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host checks of the CIS profiles on root file systems the test writes: a weak one where each
 * check fails for a reason sshd, systemd-sysctl, mount or PAM would really act on, a hardened one
 * where every check passes, and a bare one where checks without their subject are not applicable.
 */
class HostBenchmarkTest {
    @TempDir
    Path tmp;

    /** The benchmark JSON report of a root: check id to its result object. */
    static Map<String, JsonNode> benchmark(Path root, String profile) {
        Cli.Result result = Cli.run("rootfs", root.toString(), "--benchmark", profile, "-f", "json", "-q");
        assertThat(result.exit()).as(result.err()).isZero();
        JsonNode report = JsonReports.read(result.out());
        assertThat(report.path("benchmark").path("id").asText()).isEqualTo(profile);
        Map<String, JsonNode> checks = new LinkedHashMap<>();
        report.path("checks").forEach(c -> checks.put(c.path("id").asText(), c));
        long pass = checks.values().stream()
                .filter(c -> c.path("result").asText().equals("pass"))
                .count();
        assertThat(report.path("summary").path("pass").asLong()).isEqualTo(pass);
        return checks;
    }

    static List<String> messages(JsonNode check) {
        List<String> messages = new ArrayList<>();
        check.path("findings").forEach(f -> messages.add(f.path("message").asText()));
        return messages;
    }

    static List<String> paths(JsonNode check) {
        List<String> paths = new ArrayList<>();
        check.path("findings")
                .forEach(f ->
                        paths.add(f.path("path").asText() + ":" + f.path("line").asInt()));
        return paths;
    }

    static void dpkg(Path root, String... packages) throws Exception {
        StringBuilder status = new StringBuilder();
        for (String name : packages) {
            status.append("Package: ")
                    .append(name)
                    .append("\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0-1\n\n");
        }
        write(root, "var/lib/dpkg/status", status.toString(), "rw-r--r--");
    }

    static void enable(Path root, String target, String unit) throws Exception {
        Path wants = root.resolve("etc/systemd/system/" + target + ".wants");
        Files.createDirectories(wants);
        Files.createSymbolicLink(wants.resolve(unit), Path.of("/lib/systemd/system/" + unit));
    }

    /** A root that a CIS level 2 server audit passes, as far as Palisade's checks see. */
    static void hardenedRoot(Path root) throws Exception {
        write(root, "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n", "rw-r--r--");
        dpkg(
                root,
                "openssh-server",
                "systemd",
                "systemd-timesyncd",
                "unattended-upgrades",
                "libpam-pwquality",
                "sudo",
                "aide");
        write(
                root,
                "etc/ssh/sshd_config",
                "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\nPasswordAuthentication no\nUsePAM yes\n"
                        + "PermitEmptyPasswords no\nX11Forwarding no\nClientAliveInterval 300\nClientAliveCountMax 3\n"
                        + "MaxAuthTries 4\nLoginGraceTime 1m\nMaxStartups 10:30:60\nMaxSessions 10\n"
                        + "Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com\n"
                        + "Match Address 10.0.0.0/8\n  MaxAuthTries 3\n",
                "rw-r--r--");
        write(root, "etc/ssh/sshd_config.d/README", "not a .conf file\nPermitRootLogin yes\n", "rw-r--r--");
        write(
                root,
                "etc/passwd",
                "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
                        + "sync:x:4:65534:sync:/bin:/bin/sync\napp:x:1000:1000::/home/app:/bin/sh\n",
                "rw-r--r--");
        write(
                root,
                "etc/shadow",
                "root:$6$abc$def:19000:1:365:7:::\ndaemon:*:19000:0:99999:7:::\nsync:!:19000:0:99999:7:::\n"
                        + "app:$6$ghi$jkl:19000:1:365:7:::\n",
                "rw-r-----");
        write(root, "etc/sudoers", "root ALL=(ALL:ALL) ALL\n", "r--r-----");
        write(root, "etc/crontab", "* * * * * root /opt/job\n", "rw-r--r--");
        write(
                root,
                "etc/login.defs",
                "PASS_MAX_DAYS\t99999\nPASS_MAX_DAYS\t365\nPASS_MIN_DAYS\t1\nPASS_WARN_AGE\t7\nUID_MIN 1000\nUMASK 027\n",
                "rw-r--r--");
        write(
                root,
                "etc/pam.d/common-password",
                "password requisite pam_pwquality.so retry=3\npassword [success=1 default=ignore] pam_unix.so\n",
                "rw-r--r--");
        write(root, "etc/security/pwquality.conf", "# minlen = 8\nminlen = 14\n", "rw-r--r--");
        write(root, "etc/systemd/journald.conf", "[Journal]\nStorage=persistent\n", "rw-r--r--");
        write(root, "var/log/auth.log", "", "rw-r-----");
        write(root, "var/log/dpkg.log", "", "rw-r--r--");
        enable(root, "sysinit.target", "systemd-timesyncd.service");
        enable(root, "timers.target", "dailyaidecheck.timer");
        write(root, "etc/profile", "umask 077\n", "rw-r--r--");
        write(
                root,
                "etc/apt/apt.conf.d/20auto-upgrades",
                "APT::Periodic::Update-Package-Lists \"1\";\nAPT::Periodic::Unattended-Upgrade \"1\";\n",
                "rw-r--r--");
        write(
                root,
                "etc/apt/sources.list.d/debian.sources",
                "Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\n"
                        + "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n"
                        + "Types: deb\nURIs: https://packages.example.com/apt\nSuites: stable\nComponents: main\n"
                        + "Signed-By: /etc/apt/keyrings/example.gpg\n",
                "rw-r--r--");
        write(
                root,
                "etc/sysctl.d/60-hardening.conf",
                "net.ipv4.conf.all.send_redirects = 0\nnet.ipv4.conf.default.send_redirects = 0\n"
                        + "net.ipv4.conf.*.accept_redirects = 0\nnet.ipv6.conf.*.accept_redirects = 0\n"
                        + "net/ipv4/conf/all/secure_redirects = 0\nnet/ipv4/conf/default/secure_redirects = 0\n"
                        + "net.ipv4.conf.all.rp_filter = 1\nnet.ipv4.conf.default.rp_filter = 1\n"
                        + "net.ipv4.conf.all.log_martians = 1\nnet.ipv4.conf.default.log_martians = 1\n"
                        + "net.ipv6.conf.all.accept_ra = 0\nnet.ipv6.conf.default.accept_ra = 0\n",
                "rw-r--r--");
        write(
                root,
                "etc/fstab",
                "UUID=1234 / ext4 errors=remount-ro 0 1\n"
                        + "tmpfs /tmp tmpfs defaults,nodev,nosuid,noexec,size=1G 0 0\n"
                        + "/dev/sda3 /var/tmp ext4 nodev,nosuid,noexec 0 2\n"
                        + "tmpfs /dev/shm tmpfs rw,nodev,nosuid,noexec 0 0\n",
                "rw-r--r--");
    }

    @Test
    void shouldPassEveryCheckOfTheProfilesOnAHardenedRoot() throws Exception {
        Path root = tmp.resolve("hardened");
        hardenedRoot(root);

        Map<String, JsonNode> checks = benchmark(root, "cis-level2");

        Set<String> expected = new TreeSet<>();
        CheckCatalog catalog = CheckCatalog.load();
        catalog.checksOf(catalog.benchmark("cis-level2")).forEach(c -> expected.add(c.id()));
        assertThat(checks.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(checks.values()).allSatisfy(c -> assertThat(c.path("result").asText())
                .as(c.path("id").asText() + " " + messages(c))
                .isEqualTo("pass"));
    }

    @Test
    void shouldFailEachCheckOnAWeakRoot() throws Exception {
        Path root = tmp.resolve("weak");
        hardenedRoot(root);
        // an installed telnet server whose inetd line is commented out, and chrony installed but not enabled
        dpkg(root, "openssh-server", "systemd", "telnetd", "chrony", "unattended-upgrades", "libpam-pwquality", "sudo");
        write(root, "etc/sudoers.d/deploy", "Defaults:deploy !authenticate\n", "r--r-----");
        write(root, "etc/profile.d/share.sh", "umask 002\n", "rw-r--r--");
        write(
                root,
                "etc/inetd.conf",
                "#<off># telnet stream tcp nowait telnetd /usr/sbin/tcpd /usr/sbin/in.telnetd\n",
                "rw-r--r--");
        Files.delete(root.resolve("etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service"));
        // the drop-in comes first through Include, so its values win; the Match block opens root login
        write(
                root,
                "etc/ssh/sshd_config.d/50-cloud.conf",
                "MaxAuthTries 10\nLoginGraceTime 2m\nClientAliveCountMax 0\nHostbasedAuthentication yes\nLogLevel QUIET\n",
                "rw-r--r--");
        Files.writeString(
                root.resolve("etc/ssh/sshd_config"),
                Files.readString(root.resolve("etc/ssh/sshd_config"))
                        + "Match User deploy\n  PermitRootLogin yes\n  X11Forwarding yes\n");
        write(
                root,
                "etc/passwd",
                "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/bin/sh\n"
                        + "app:x:1000:1000::/home/app:/bin/sh\n",
                "rw-r--r--");
        write(
                root,
                "etc/shadow",
                "root:$6$abc$def:19000:1:365:7:::\ndaemon:$6$x$y:19000:0:99999:7:::\napp:$6$g$j:19000:1:365:7:::\n",
                "rw-r-----");
        write(root, "etc/login.defs", "PASS_MIN_DAYS 1\nPASS_WARN_AGE 7\n", "rw-r--r--");
        write(root, "etc/security/pwquality.conf.d/10-local.conf", "minlen = 8\n", "rw-r--r--");
        write(root, "etc/systemd/journald.conf.d/50-volatile.conf", "[Journal]\nStorage=volatile\n", "rw-r--r--");
        write(root, "var/log/auth.log", "", "rw-r--r--");
        write(
                root,
                "etc/apt/sources.list",
                "deb http://deb.debian.org/debian bookworm main\n"
                        + "deb [arch=amd64 trusted=yes] http://repo.example.com/apt stable main\n",
                "rw-r--r--");
        write(root, "usr/lib/sysctl.d/60-aslr.conf", "kernel.randomize_va_space = 2\n", "rw-r--r--");
        write(
                root,
                "etc/sysctl.d/99-late.conf",
                "kernel.randomize_va_space = 1\n-net.ipv4.ip_forward=1\n",
                "rw-r--r--");
        write(
                root,
                "etc/fstab",
                "UUID=1234 / ext4 errors=remount-ro 0 1\ntmpfs /tmp/ tmpfs defaults,nosuid 0 0\n"
                        + "tmpfs /dev/shm tmpfs nodev,nosuid,noexec,exec 0 0\n",
                "rw-r--r--");

        Map<String, JsonNode> checks = benchmark(root, "cis-level1");

        assertThat(checks.get("PAL-5010").path("result").asText()).isEqualTo("pass");
        assertThat(messages(checks.get("PAL-5012")))
                .containsExactly("telnetd is installed: a telnet server (clear-text logins)");
        assertThat(messages(checks.get("PAL-5001")))
                .containsExactly("PermitRootLogin yes in Match User deploy (root may log in with a password)");
        assertThat(paths(checks.get("PAL-5001"))).containsExactly("etc/ssh/sshd_config:17");
        assertThat(messages(checks.get("PAL-5004")))
                .containsExactly("X11Forwarding yes in Match User deploy (X11 is forwarded)");
        assertThat(messages(checks.get("PAL-5006")))
                .containsExactly("ClientAliveCountMax 0 (idle sessions are never ended)");
        assertThat(messages(checks.get("PAL-5007")))
                .containsExactlyInAnyOrder(
                        "MaxAuthTries 10 (more than 4 authentication attempts per connection)",
                        "LoginGraceTime 2m (an unauthenticated connection is kept over 60 seconds)");
        assertThat(paths(checks.get("PAL-5007")))
                .containsExactlyInAnyOrder(
                        "etc/ssh/sshd_config.d/50-cloud.conf:1", "etc/ssh/sshd_config.d/50-cloud.conf:2");
        assertThat(messages(checks.get("PAL-5008")))
                .containsExactly("HostbasedAuthentication yes (other hosts are trusted to vouch for users)");
        assertThat(messages(checks.get("PAL-5027")))
                .containsExactlyInAnyOrder(
                        "system account daemon (UID 1) has the login shell /bin/sh",
                        "system account daemon has an unlocked password");
        assertThat(messages(checks.get("PAL-5028")))
                .containsExactly("PASS_MAX_DAYS not set (default 99999): passwords may be used longer than 365 days");
        assertThat(messages(checks.get("PAL-5029")))
                .containsExactly("passwords may be shorter than 14 characters (minlen 8)");
        assertThat(paths(checks.get("PAL-5031"))).containsExactly("etc/systemd/journald.conf.d/50-volatile.conf:0");
        assertThat(messages(checks.get("PAL-5032")))
                .containsExactly("var/log/auth.log is readable by all users (mode 0644)");
        assertThat(messages(checks.get("PAL-5033"))).containsExactly("chrony installed but not enabled at boot");
        assertThat(messages(checks.get("PAL-5034")))
                .containsExactly(
                        "http://repo.example.com/apt is used with trusted=yes: APT does not require a valid signature");
        assertThat(messages(checks.get("PAL-5035")))
                .containsExactly("http://repo.example.com/apt has no signed-by: any key APT trusts may sign it, "
                        + "and it is fetched in clear text");
        assertThat(messages(checks.get("PAL-5036")))
                .containsExactly("net.ipv4.ip_forward = 1 makes the host route packets between its networks (want 0)");
        assertThat(paths(checks.get("PAL-5037"))).containsExactly("etc/sysctl.d/99-late.conf:1");
        assertThat(messages(checks.get("PAL-5038")))
                .containsExactlyInAnyOrder(
                        "/tmp is mounted without nodev, noexec (options defaults,nosuid)",
                        "/dev/shm is mounted without noexec (options nodev,nosuid,noexec,exec)");
        assertThat(messages(checks.get("PAL-5009"))).containsExactly("LogLevel QUIET (logins are not logged)");
        assertThat(messages(checks.get("PAL-5039")))
                .containsExactly(
                        "UMASK not set (default 022): new files are readable by others (want 027)",
                        "umask 002: new files are group-writable and readable by others (want 027)");
        assertThat(paths(checks.get("PAL-5039"))).containsExactly("etc/login.defs:0", "etc/profile.d/share.sh:1");
        assertThat(messages(checks.get("PAL-5040")))
                .containsExactly("no file integrity checker: AIDE is not installed");
        assertThat(messages(benchmark(root, "cis-level2").get("PAL-5023")))
                .containsExactly("Defaults:deploy !authenticate");
        assertThat(checks.values())
                .filteredOn(c -> c.path("result").asText().equals("fail"))
                .extracting(c -> c.path("id").asText())
                .containsExactlyInAnyOrder(
                        "PAL-5001",
                        "PAL-5004",
                        "PAL-5006",
                        "PAL-5007",
                        "PAL-5008",
                        "PAL-5009",
                        "PAL-5039",
                        "PAL-5040",
                        "PAL-5012",
                        "PAL-5027",
                        "PAL-5028",
                        "PAL-5029",
                        "PAL-5031",
                        "PAL-5032",
                        "PAL-5033",
                        "PAL-5034",
                        "PAL-5035",
                        "PAL-5036",
                        "PAL-5037",
                        "PAL-5038");
    }

    @Test
    void shouldFollowSystemdSysctlPrecedence() throws Exception {
        Path root = tmp.resolve("sysctl");
        hardenedRoot(root);
        // a file of /etc/sysctl.d masks the /usr/lib one of the same name; later names win over earlier ones
        write(root, "usr/lib/sysctl.d/50-router.conf", "net.ipv4.ip_forward = 1\n", "rw-r--r--");
        Files.createSymbolicLink(root.resolve("etc/sysctl.d/50-router.conf"), Path.of("/dev/null"));
        write(root, "usr/lib/sysctl.d/40-early.conf", "net.ipv4.tcp_syncookies = 1\n", "rw-r--r--");
        write(root, "run/sysctl.d/45-flood.conf", "net.ipv4.tcp_syncookies = 0\n", "rw-r--r--");
        write(root, "usr/local/lib/sysctl.d/70-rp.conf", "net.ipv4.conf.all.rp_filter=2\n", "rw-r--r--");
        // without systemd-sysctl in the root, procps reads /etc/sysctl.conf last
        write(root, "etc/sysctl.conf", "net.ipv4.conf.default.rp_filter = 0\n", "rw-r--r--");

        Map<String, JsonNode> checks = benchmark(root, "cis-level1");

        assertThat(messages(checks.get("PAL-5036")))
                .containsExactlyInAnyOrder(
                        "net.ipv4.tcp_syncookies = 0 leaves the host open to SYN floods (want 1)",
                        "net.ipv4.conf.all.rp_filter = 2 accepts packets whose source address cannot come from where "
                                + "they arrived (want 1)",
                        "net.ipv4.conf.default.rp_filter = 0 accepts packets whose source address cannot come from "
                                + "where they arrived (want 1)");
        assertThat(paths(checks.get("PAL-5036")))
                .containsExactlyInAnyOrder(
                        "run/sysctl.d/45-flood.conf:1", "usr/local/lib/sysctl.d/70-rp.conf:1", "etc/sysctl.conf:1");

        // with systemd, /etc/sysctl.conf counts only through its 99-sysctl.conf link
        write(root, "usr/lib/systemd/systemd-sysctl", "", "rwxr-xr-x");
        Map<String, JsonNode> withSystemd = benchmark(root, "cis-level1");
        assertThat(paths(withSystemd.get("PAL-5036")))
                .containsExactlyInAnyOrder("run/sysctl.d/45-flood.conf:1", "usr/local/lib/sysctl.d/70-rp.conf:1");
    }

    @Test
    void shouldReadTheOptionsOfSystemdsTmpMount() throws Exception {
        Path root = tmp.resolve("tmpmount");
        hardenedRoot(root);
        write(root, "etc/fstab", "UUID=1234 / ext4 errors=remount-ro 0 1\n", "rw-r--r--");
        write(
                root,
                "usr/lib/systemd/system/tmp.mount",
                "[Mount]\nWhat=tmpfs\nWhere=/tmp\nType=tmpfs\nOptions=mode=1777,strictatime,nosuid,nodev,size=50%\n",
                "rw-r--r--");
        Files.createDirectories(root.resolve("usr/lib/systemd/system/local-fs.target.wants"));
        Files.createSymbolicLink(
                root.resolve("usr/lib/systemd/system/local-fs.target.wants/tmp.mount"), Path.of("../tmp.mount"));

        Map<String, JsonNode> checks = benchmark(root, "cis-level1");

        // /dev/shm, absent from fstab, is mounted by systemd with nosuid,nodev only
        assertThat(messages(checks.get("PAL-5038")))
                .containsExactly(
                        "/tmp is mounted without noexec (options mode=1777,strictatime,nosuid,nodev,size=50%)",
                        "/dev/shm is mounted without noexec (options nosuid,nodev)");
        assertThat(paths(checks.get("PAL-5038")))
                .containsExactly("usr/lib/systemd/system/local-fs.target.wants/tmp.mount:0", "etc/fstab:0");

        // masked, the unit does not mount /tmp: it is not a separate file system
        Files.createSymbolicLink(root.resolve("etc/systemd/system/tmp.mount"), Path.of("/dev/null"));
        assertThat(messages(benchmark(root, "cis-level1").get("PAL-5038")))
                .containsExactly(
                        "/tmp is not a separate file system: it cannot be mounted nodev, nosuid, noexec",
                        "/dev/shm is mounted without noexec (options nosuid,nodev)");
    }

    @Test
    void shouldReadDeb822SourcesAndYumRepositories() throws Exception {
        Path root = tmp.resolve("deb822");
        hardenedRoot(root);
        write(
                root,
                "etc/apt/sources.list.d/vendor.sources",
                "Types: deb\nURIs: http://apt.vendor.example/debian\nSuites: stable\nComponents: main\n\n"
                        + "Enabled: no\nTypes: deb\nURIs: http://old.vendor.example/debian\nSuites: stable\n"
                        + "Components: main\nTrusted: yes\n\n"
                        + "Types: deb\nURIs: https://insecure.vendor.example/debian\nSuites: stable\nComponents: main\n"
                        + "Signed-By: /etc/apt/keyrings/vendor.gpg\nTrusted: yes\n",
                "rw-r--r--");
        write(
                root,
                "etc/yum.repos.d/vendor.repo",
                "[vendor]\nbaseurl=https://rpm.vendor.example/\ngpgcheck=0\n",
                "rw-r--r--");

        Map<String, JsonNode> checks = benchmark(root, "cis-level1");

        assertThat(messages(checks.get("PAL-5035")))
                .containsExactly("http://apt.vendor.example/debian has no signed-by: any key APT trusts may sign it, "
                        + "and it is fetched in clear text");
        assertThat(paths(checks.get("PAL-5035"))).containsExactly("etc/apt/sources.list.d/vendor.sources:1");
        assertThat(messages(checks.get("PAL-5034")))
                .containsExactly(
                        "https://insecure.vendor.example/debian is used with trusted=yes: APT does not require a valid "
                                + "signature",
                        "gpgcheck=0: packages are installed without checking their signatures");
        assertThat(paths(checks.get("PAL-5034")))
                .containsExactly("etc/apt/sources.list.d/vendor.sources:13", "etc/yum.repos.d/vendor.repo:3");
    }

    @Test
    void shouldCallChecksWithoutTheirSubjectNotApplicable() throws Exception {
        Path root = tmp.resolve("bare");
        write(root, "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n", "rw-r--r--");
        write(root, "etc/fstab", "# UNCONFIGURED FSTAB FOR BASE SYSTEM\n", "rw-r--r--");

        Map<String, JsonNode> checks = benchmark(root, "cis-level1");

        assertThat(checks.values())
                .filteredOn(c -> c.path("result").asText().equals("not-applicable"))
                .extracting(c -> c.path("id").asText())
                .containsExactlyInAnyOrder(
                        "PAL-5009",
                        "PAL-5039",
                        "PAL-5040",
                        "PAL-5001",
                        "PAL-5003",
                        "PAL-5004",
                        "PAL-5005",
                        "PAL-5006",
                        "PAL-5007",
                        "PAL-5008",
                        "PAL-5012",
                        "PAL-5020",
                        "PAL-5021",
                        "PAL-5022",
                        "PAL-5027",
                        "PAL-5028",
                        "PAL-5029",
                        "PAL-5030",
                        "PAL-5031",
                        "PAL-5032",
                        "PAL-5033",
                        "PAL-5034",
                        "PAL-5035",
                        "PAL-5038");
        assertThat(checks.get("PAL-5036").path("result").asText()).isEqualTo("fail");
        assertThat(checks.get("PAL-5024").path("result").asText()).isEqualTo("pass");
    }

    @Test
    void shouldListExactlyTheChecksOfAProfile() {
        Cli.Result level1 = Cli.run("checks", "list", "--benchmark", "cis-level1", "-f", "json");
        Cli.Result level2 = Cli.run("checks", "list", "--benchmark", "cis-level2", "-f", "json");

        assertThat(level1.exit()).as(level1.err()).isZero();
        List<String> ids1 = JsonReports.texts(JsonReports.read(level1.out()), "checks", "id");
        List<String> ids2 = JsonReports.texts(JsonReports.read(level2.out()), "checks", "id");
        assertThat(ids1)
                .contains("PAL-5001", "PAL-5012", "PAL-5036")
                .doesNotContain("PAL-5002", "PAL-5023", "PAL-1001");
        assertThat(ids2).containsAll(ids1).contains("PAL-5023");
        CheckCatalog catalog = CheckCatalog.load();
        for (String id : ids2) {
            assertThat(catalog.get(id).references())
                    .as(id)
                    .anySatisfy(r -> assertThat(r).startsWith("CIS Debian Linux 12 "))
                    .anySatisfy(r -> assertThat(r).startsWith("NIST SP 800-53 "));
        }

        Cli.Result unknown = Cli.run("checks", "list", "--benchmark", "cis-level9");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("unknown benchmark 'cis-level9' (use cis-level1, cis-level2)");
        Cli.Result scan = Cli.run("rootfs", tmp.toString(), "--benchmark", "cis-level9");
        assertThat(scan.exit()).isNotZero();
        assertThat(scan.err()).contains("unknown benchmark 'cis-level9'");
    }

    @Test
    void shouldReadSshdTimes() {
        assertThat(SshdConfig.seconds("90")).isEqualTo(90);
        assertThat(SshdConfig.seconds("1m30s")).isEqualTo(90);
        assertThat(SshdConfig.seconds("2h")).isEqualTo(7200);
        assertThat(SshdConfig.seconds("1x")).isEqualTo(-1);
        assertThat(SshdConfig.seconds("99999999999999999999")).isEqualTo(-1);
    }
}
