package dev.palisade.cli;

import dev.palisade.checks.CheckCatalog;
import dev.palisade.evidence.EvidencePack;
import dev.palisade.evidence.EvidenceVerifier;
import dev.palisade.evidence.EvidenceWriter;
import dev.palisade.evidence.History;
import dev.palisade.evidence.ReportFolderHistory;
import dev.palisade.evidence.ServerHistory;
import dev.palisade.evidence.SigningKeys;
import dev.palisade.evidence.Soc2Criteria;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade evidence}: an audit evidence pack for a period, from the server's history or saved reports. */
@Command(
        name = "evidence",
        footerHeading = "%nExamples:%n",
        footer = {
            "  palisade evidence --reports reports/ --since 90d --output evidence/",
            "  palisade evidence verify evidence/"
        },
        mixinStandardHelpOptions = true,
        description = {
            "Write a signed evidence pack (SOC 2) for a period: scan coverage and cadence, patch-SLA compliance, the "
                    + "exceptions register and the criteria they support, as JSON, CSV and one HTML page.",
            "",
            "Examples:",
            "  palisade evidence --server https://palisade.example --output evidence-2026q1 --since 90d",
            "  palisade evidence --reports saved-reports/ --output evidence --signing-key team-evidence.pem",
            "  palisade evidence verify evidence-2026q1 --public-key team-evidence.pub.pem"
        },
        subcommands = {EvidenceCommand.Verify.class})
final class EvidenceCommand implements Callable<Integer> {
    static final int EXIT_TAMPERED = 1;
    /** One page of a server's history read back: a page holds at most a few thousand rows. */
    static final long MAX_SERVER_PAGE_BYTES = 64L * 1024 * 1024;

    private final Environment environment;

    // not required = true: picocli would then ask for it before 'evidence verify DIR' too
    @Option(names = "--output", paramLabel = "DIR", description = "An empty (or new) folder for the pack (required).")
    Path output;

    @Option(
            names = "--reports",
            paramLabel = "FOLDER",
            description = "Saved Palisade JSON reports (-f json): one scan each; a sub-folder names the application.")
    Path reports;

    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "A Palisade server; its token in --token or $PALISADE_TOKEN.")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", description = "A viewer token for --server.")
    String token;

    @Option(
            names = "--since",
            paramLabel = "DURATION",
            defaultValue = "90d",
            description = "The period: from this long ago until now (default: ${DEFAULT-VALUE}).")
    String since;

    @Option(
            names = "--cadence",
            paramLabel = "DURATION",
            defaultValue = "7d",
            description = "How often every target must be scanned (default: ${DEFAULT-VALUE}).")
    String cadence;

    @Option(
            names = "--signing-key",
            paramLabel = "FILE",
            description = "The Ed25519 key that signs the manifest: PEM with the private key (PKCS#8) and its public "
                    + "key. Default: $XDG_CONFIG_HOME/palisade/evidence-signing-key.pem, made on first use.")
    Path signingKey;

    EvidenceCommand(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        if (output == null) {
            return fail("--output DIR is required: the folder the pack is written into");
        }
        if ((reports == null) == (server == null)) {
            return fail("give the history: --reports FOLDER or --server URL (one of them)");
        }
        try {
            Duration period = ScanCommand.parseDuration(since, "--since");
            Duration every = ScanCommand.parseDuration(cadence, "--cadence");
            History history = reports != null ? new ReportFolderHistory().read(reports) : serverHistory();
            EvidencePack pack = EvidencePack.of(
                    history,
                    Soc2Criteria.load(CheckCatalog.load().all()),
                    environment.clock().instant(),
                    period,
                    every);
            KeyPair key = key();
            new EvidenceWriter(PalisadeCommand.version()).write(pack, output, key);
            environment
                    .err()
                    .println("palisade: evidence for " + pack.coverage().size() + " targets and "
                            + pack.sla().size() + " findings with deadlines written to " + output
                            + (history.problems().isEmpty()
                                    ? ""
                                    : "; " + history.problems().size() + " problems listed in it"));
            return PalisadeCommand.EXIT_OK;
        } catch (IOException | IllegalArgumentException e) {
            return fail(String.valueOf(e.getMessage()));
        }
    }

    private History serverHistory() throws IOException {
        String bearer = token != null ? token : environment.variables().get(ServerClientOptions.TOKEN_VARIABLE);
        if (bearer == null || bearer.isBlank()) {
            throw new IllegalArgumentException(
                    "--server needs a token: --token TOKEN or $" + ServerClientOptions.TOKEN_VARIABLE);
        }
        String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        if (!base.startsWith("http://") && !base.startsWith("https://")) {
            throw new IllegalArgumentException("--server: use an http:// or https:// URL");
        }
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        return new ServerHistory(path -> {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofMinutes(2))
                            .header("Authorization", "Bearer " + bearer.strip())
                            .GET()
                            .build();
                    HttpResponse<java.io.InputStream> response;
                    try {
                        response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while reading from the server");
                    }
                    try (java.io.InputStream in = response.body()) {
                        if (response.statusCode() != 200) {
                            throw new IOException("the server answered " + response.statusCode() + " to " + path);
                        }
                        return dev.palisade.source.LimitedInputStream.readAll(
                                in, MAX_SERVER_PAGE_BYTES, "the server's answer to " + path);
                    }
                })
                .read();
    }

    private KeyPair key() throws IOException {
        Path file = signingKey;
        if (file == null) {
            String xdg = environment.variables().get("XDG_CONFIG_HOME");
            Path config =
                    xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
            file = config.resolve("palisade").resolve("evidence-signing-key.pem");
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                KeyPair made = SigningKeys.generate();
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(
                        file,
                        SigningKeys.privatePem(made.getPrivate()) + SigningKeys.publicPem(made.getPublic()),
                        StandardCharsets.US_ASCII);
                environment
                        .err()
                        .println("palisade: made an evidence signing key in " + file
                                + " (keep it; give auditors the public-key.pem of the pack)");
                return made;
            }
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("--signing-key: " + file + ": no such file");
        }
        return SigningKeys.readPair(Files.readString(file, StandardCharsets.US_ASCII));
    }

    private int fail(String message) {
        environment.err().println("palisade: error: " + message);
        return PalisadeCommand.EXIT_UNREADABLE;
    }

    /** {@code palisade evidence verify DIR}: 0 intact, 1 changed, added or removed files or a bad signature, 2 error. */
    @Command(
            name = "verify",
            footerHeading = "%nExamples:%n",
            footer = {
                "  palisade evidence verify evidence/",
                "  palisade evidence verify evidence/ --public-key palisade.pub"
            },
            mixinStandardHelpOptions = true,
            description =
                    "Check an evidence pack: its manifest's signature and every file's SHA-256. Exit 0 when "
                            + "intact, 1 when a file was changed, added or removed or the signature does not match, 2 on error.")
    static final class Verify implements Callable<Integer> {
        private final Environment environment;

        @Parameters(paramLabel = "DIR", description = "The pack's folder.")
        Path folder;

        @Option(
                names = "--public-key",
                paramLabel = "FILE",
                description = "The signer's public key (PEM) to check against, instead of the one the pack carries.")
        Path publicKey;

        Verify(Environment environment) {
            this.environment = environment;
        }

        @Override
        public Integer call() {
            try {
                PublicKey pinned = publicKey == null
                        ? null
                        : SigningKeys.readPublic(Files.readString(publicKey, StandardCharsets.US_ASCII));
                EvidenceVerifier.Result result = new EvidenceVerifier().verify(folder, pinned);
                if (result.intact()) {
                    environment.out().println("verified: " + result.files() + " files match the signed manifest");
                    return PalisadeCommand.EXIT_OK;
                }
                result.problems().forEach(p -> environment
                        .out()
                        .println("NOT VERIFIED: " + dev.palisade.report.TerminalText.escape(p)));
                return EXIT_TAMPERED;
            } catch (IOException e) {
                environment.err().println("palisade: error: " + e.getMessage());
                return PalisadeCommand.EXIT_UNREADABLE;
            }
        }
    }
}
