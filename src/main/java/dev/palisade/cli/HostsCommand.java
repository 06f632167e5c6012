package dev.palisade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.match.Severity;
import dev.palisade.report.ReportFormat;
import dev.palisade.report.ScanReport;
import dev.palisade.report.TerminalText;
import dev.palisade.scan.ScanPipeline;
import dev.palisade.scan.ScanRequest;
import dev.palisade.scan.ScanTarget;
import dev.palisade.scan.Scanner;
import dev.palisade.source.SourceException;
import dev.palisade.source.remote.FleetInventory;
import dev.palisade.source.remote.SshSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code palisade hosts INVENTORY}: every host of an inventory over SSH, a few at a time, each
 * exactly as {@code palisade host ssh://...} scans it; one host that cannot be reached is reported
 * as failed without stopping the others.
 */
@Command(
        name = "hosts",
        footerHeading = "%nExamples:%n",
        footer = {
            "  palisade hosts fleet.txt --known-hosts ~/.ssh/known_hosts --output-dir reports/",
            "  palisade hosts inventory.ini -i ~/.ssh/id_ed25519 --parallel 8 --patch-plan",
            "  palisade hosts inventory.yaml --server https://palisade.example --application shop"
        },
        mixinStandardHelpOptions = true,
        description = {
            "Scan the hosts of an inventory over SSH, several at a time, each as 'palisade host ssh://...' does, and "
                    + "summarise them.",
            "INVENTORY is a list of ssh://USER@HOST[:PORT] addresses (one per line, # comments), or an Ansible "
                    + "inventory (INI or YAML: groups, ansible_host, ansible_port, ansible_user, "
                    + "ansible_ssh_private_key_file, [group:vars], [group:children]).",
            "Exit status: " + HostsCommand.EXIT_HOST_FAILED + " when any host could not be scanned (the others are "
                    + "still scanned and reported), else --exit-code when any host has findings, else 0."
        })
final class HostsCommand extends ScanCommand {
    static final int EXIT_HOST_FAILED = 4;
    private static final long MAX_INVENTORY_BYTES = 4 * 1024 * 1024;

    @Parameters(index = "0", paramLabel = "INVENTORY", description = "The inventory file.")
    Path inventory;

    @Option(
            names = "-i",
            paramLabel = "KEYFILE",
            description = "Private key for the hosts the inventory names none for, repeatable (default: "
                    + "~/.ssh/id_ed25519, id_ecdsa, id_rsa that exist).")
    List<Path> keyFiles = new ArrayList<>();

    @Option(
            names = "--known-hosts",
            paramLabel = "FILE",
            description = "Known hosts file the host keys are checked against (default: ~/.ssh/known_hosts).")
    @Nullable
    Path knownHosts;

    @Option(
            names = "--accept-new-host-key",
            description = "Trust the key of a host not yet in the known hosts file, and add it there. A changed key is "
                    + "still refused.")
    boolean acceptNewHostKey;

    /** The text of the report template each host's report is written with ({@code -f template}), or null. */
    private @Nullable String hostTemplate;

    @Option(
            names = "--user",
            paramLabel = "USER",
            description = "User for the inventory's hosts that name none (ansible_user) (default: $USER).")
    @Nullable
    String user;

    @Option(
            names = "--parallel",
            paramLabel = "N",
            defaultValue = "4",
            description = "Hosts scanned at a time, 1 to 64 (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(
            names = "--output-dir",
            paramLabel = "DIR",
            description = "Write each host's full report to DIR/<host>.<format> (JSON unless --format names another; "
                    + "the server's JSON with --server).")
    @Nullable
    Path outputDir;

    @Mixin
    PatchPlanOption patchPlan;

    HostsCommand(Environment environment) {
        super(environment);
    }

    @Override
    boolean patchPlan() {
        return patchPlan.enabled;
    }

    /** One line of the summary. */
    record HostResult(
            String name,
            String address,
            String application,
            String os,
            int packages,
            Map<Severity, Integer> findings,
            @Nullable String error,
            int exitCode) {}

    @Override
    ScanTarget target() throws SourceException {
        throw new SourceException("an inventory is scanned host by host");
    }

    @Override
    public Integer call() {
        if (parallel < 1 || parallel > 64) {
            return fail("--parallel: between 1 and 64, not " + parallel);
        }
        List<FleetInventory.Host> hosts;
        ReportFormat hostFormat;
        ScanRequest template;
        Path home = home();
        try {
            String text = new String(readPolicyFile(inventory, MAX_INVENTORY_BYTES), StandardCharsets.UTF_8);
            String defaultUser = user != null ? user : environment.variables().get("USER");
            if (defaultUser == null || defaultUser.isBlank()) {
                defaultUser = System.getProperty("user.name");
            }
            hosts = FleetInventory.parse(text, inventory.toString(), defaultUser, home);
            hostFormat = serverClient.enabled() || "table".equalsIgnoreCase(format)
                    ? ReportFormat.JSON
                    : ReportFormat.parse(format)
                            .orElseThrow(() -> new IllegalArgumentException(
                                    "unknown format '" + format + "' (use " + ReportFormat.names() + ")"));
            if (hostFormat == ReportFormat.TEMPLATE) {
                if (super.template == null) {
                    return fail("--format template needs --report-template FILE");
                }
                hostTemplate = ReportTemplates.read(super.template);
            }
            template = request(new ScanTarget.LiveHost(Path.of("/"), Path.of("/proc"), literalSkipDirs()));
            if (serverClient.enabled()) {
                if (ignoreFile != null || !vexFiles.isEmpty()) {
                    return fail("--ignore-file and --vex are not applied with --server yet: leave them out, or scan "
                            + "locally");
                }
                if (patchPlan()) {
                    return fail("--patch-plan is not applied with --server yet: leave it out, or scan locally");
                }
                // only the inventory is built here: the server matches it
                template = new ScanRequest(
                        template.target(),
                        EnumSet.noneOf(Scanner.class),
                        template.limits(),
                        template.policy(),
                        template.trustedSources(),
                        template.secretRules(),
                        template.learned(),
                        template.skips());
            }
            if (outputDir != null) {
                Files.createDirectories(outputDir);
            }
        } catch (IllegalArgumentException | IOException e) {
            return fail(e.getMessage());
        }
        List<Path> defaultKeys = keyFiles.isEmpty() ? HostCommand.defaultKeys(home.resolve(".ssh")) : keyFiles;
        Path knownHostsFile =
                knownHosts != null ? knownHosts : home.resolve(".ssh").resolve("known_hosts");
        String passphrase = environment.variables().get(HostCommand.PASSPHRASE_VARIABLE);
        List<String> fileNames = fileNames(hosts);
        List<HostResult> results = new ArrayList<>();
        try (CliDatabase db = new CliDatabase(
                new VulnerabilityDatabases(database, environment, m -> {}), quiet || serverClient.enabled())) {
            ScanPipeline pipeline = pipeline(db, m -> {});
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, hosts.size()));
            try {
                List<Future<HostResult>> futures = new ArrayList<>();
                for (int i = 0; i < hosts.size(); i++) {
                    FleetInventory.Host host = hosts.get(i);
                    List<Path> keys = host.keyFile() != null ? List.of(host.keyFile()) : defaultKeys;
                    SshSettings settings = SshSettings.of(
                            keys,
                            passphrase,
                            "the environment variable " + HostCommand.PASSPHRASE_VARIABLE,
                            knownHostsFile,
                            acceptNewHostKey);
                    ScanRequest request = template.withTarget(
                            new ScanTarget.RemoteHost(host.destination(), settings, literalSkipDirs()));
                    String fileName = fileNames.get(i);
                    futures.add(pool.submit(() -> scanHost(pipeline, request, host, fileName, hostFormat)));
                }
                for (Future<HostResult> f : futures) {
                    results.add(f.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fail("interrupted");
            } catch (ExecutionException e) {
                return fail(String.valueOf(e.getCause()));
            } finally {
                pool.shutdownNow();
            }
        }
        printSummary(results);
        if (results.stream().anyMatch(r -> r.error() != null)) {
            return EXIT_HOST_FAILED;
        }
        return results.stream()
                .mapToInt(HostResult::exitCode)
                .filter(code -> code != 0)
                .findFirst()
                .orElse(PalisadeCommand.EXIT_OK);
    }

    private HostResult scanHost(
            ScanPipeline pipeline,
            ScanRequest request,
            FleetInventory.Host host,
            String fileName,
            ReportFormat hostFormat) {
        String application = application(host);
        String address = host.destination().toString();
        try {
            if (request.target() instanceof ScanTarget.RemoteHost remote
                    && remote.settings().keyFiles().isEmpty()) {
                throw new IllegalArgumentException(
                        "no private key in ~/.ssh: name one with -i KEYFILE or " + "ansible_ssh_private_key_file");
            }
            ScanPipeline.Report report = pipeline.run(request);
            ScanReport model = report.model();
            warn(model.allProblems().stream()
                    .map(p -> new dev.palisade.source.Problem(host.name() + ": " + p.path(), p.layer(), p.reason()))
                    .toList());
            String os = model.inventory()
                    .osRelease()
                    .map(o -> o.id() + " " + o.versionId())
                    .orElse("-");
            int packages = model.inventory().packages().size();
            if (serverClient.enabled()) {
                ServerClientOptions.Answer answer = serverClient.submit(
                        model,
                        host.name(),
                        application,
                        ReportFormat.JSON,
                        severities,
                        ignoreUnfixed,
                        serverExitCode(),
                        environment.variables());
                writeHostReport(fileName, hostFormat, out -> out.write(answer.report()));
                return new HostResult(
                        host.name(),
                        address,
                        application,
                        os,
                        packages,
                        countsOf(answer.report()),
                        null,
                        answer.exitCode());
            }
            writeHostReport(fileName, hostFormat, out -> hostFormat
                    .writer(listPackages, patchPlan(), hostTemplate)
                    .write(model, out));
            return new HostResult(
                    host.name(), address, application, os, packages, model.counts(), null, report.exitCode());
        } catch (SourceException | IOException | RuntimeException e) {
            return new HostResult(
                    host.name(),
                    address,
                    application,
                    "-",
                    0,
                    Map.of(),
                    String.valueOf(e.getMessage()),
                    EXIT_HOST_FAILED);
        }
    }

    /** The host's application on the server: its palisade_application, else its first group, else --application. */
    private String application(FleetInventory.Host host) {
        if (host.application() != null) {
            return host.application();
        }
        return host.groups().isEmpty()
                ? serverClient.application
                : host.groups().get(0);
    }

    private void writeHostReport(String fileName, ReportFormat hostFormat, ReportOutput.Body writer)
            throws IOException {
        if (outputDir != null) {
            ReportOutput.write(outputDir.resolve(fileName + "." + extension(hostFormat)), environment.out(), writer);
        }
    }

    /** The severities of the server's JSON report's vulnerabilities. */
    private static Map<Severity, Integer> countsOf(byte[] json) throws IOException {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        JsonNode report = new ObjectMapper().readTree(json);
        for (JsonNode v : report.path("vulnerabilities")) {
            try {
                counts.merge(Severity.valueOf(v.path("severity").asText("UNKNOWN")), 1, Integer::sum);
            } catch (IllegalArgumentException e) {
                counts.merge(Severity.UNKNOWN, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** A file name per host, unique even when two names differ only in characters a file name must not hold. */
    private static List<String> fileNames(List<FleetInventory.Host> hosts) {
        List<String> names = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (FleetInventory.Host host : hosts) {
            String base = RegistryCommand.safeFileName(host.name().replaceFirst("^ssh://", ""));
            String name = base;
            for (int n = 2; !used.add(name.toLowerCase(Locale.ROOT)); n++) {
                name = base + "-" + n;
            }
            names.add(name);
        }
        return names;
    }

    private static String extension(ReportFormat format) {
        return switch (format) {
            case JSON -> "json";
            case CYCLONEDX -> "cdx.json";
            case SPDX_JSON -> "spdx.json";
            case SARIF -> "sarif";
            case HTML -> "html";
            case TABLE, TEMPLATE -> "txt";
        };
    }

    private void printSummary(List<HostResult> results) {
        PrintStream out = environment.out();
        out.printf(
                Locale.ROOT,
                "%-20s %-32s %-14s %-12s %8s %8s %5s %6s %5s %4s %7s%n",
                "HOST",
                "ADDRESS",
                "APPLICATION",
                "OS",
                "PACKAGES",
                "CRITICAL",
                "HIGH",
                "MEDIUM",
                "LOW",
                "UNK",
                "STATUS");
        for (HostResult r : results) {
            out.printf(
                    Locale.ROOT,
                    "%-20s %-32s %-14s %-12s %8d %8d %5d %6d %5d %4d %7s%n",
                    TerminalText.escape(r.name()),
                    TerminalText.escape(r.address()),
                    TerminalText.escape(r.application()),
                    TerminalText.escape(r.os()),
                    r.packages(),
                    r.findings().getOrDefault(Severity.CRITICAL, 0),
                    r.findings().getOrDefault(Severity.HIGH, 0),
                    r.findings().getOrDefault(Severity.MEDIUM, 0),
                    r.findings().getOrDefault(Severity.LOW, 0),
                    r.findings().getOrDefault(Severity.UNKNOWN, 0),
                    r.error() == null ? "ok" : "failed");
        }
        for (HostResult r : results) {
            if (r.error() != null) {
                environment.err().println("palisade: error: " + TerminalText.escape(r.name() + ": " + r.error()));
            }
        }
    }

    private Path home() {
        String home = environment.variables().get("HOME");
        return Path.of(home == null || home.isEmpty() ? System.getProperty("user.home") : home);
    }
}
