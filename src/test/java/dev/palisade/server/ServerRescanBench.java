package dev.palisade.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.testing.TestDatabase;
import dev.palisade.vulndb.DirectoryMirror;
import dev.palisade.vulndb.PackageKey;
import dev.palisade.vulndb.sqlite.DatabaseUpdater;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * The server's re-match at scale, in process: N stored inventories (default 10,000) of a jvm-app-sized SBOM
 * (~120 components), varied per inventory so that findings differ; then a full re-match with 1 and 2 threads and a
 * targeted re-match of one package held by 5% of them. Not a test: {@code bench/server-rescan.sh} runs it.
 *
 * <p>Arguments: {@code N}. System properties: {@code palisade.bench.sbom} (the CycloneDX SBOM, required),
 * {@code palisade.bench.mirror} (an OSV mirror directory; the pinned test mirror by default),
 * {@code palisade.bench.threads} (the re-match thread counts to time, default {@code 1,2}),
 * {@code palisade.bench.ingest} (how many are stored through the service, default 1,000; the others are copied in
 * SQL), {@code palisade.bench.jfr} (a file: a JFR recording of the first full re-match; the service ingest goes to
 * FILE-ingest.jfr).
 */
public final class ServerRescanBench {
    /** Distinct package sets: inventory i is variant i % VARIANTS. A multiple of 20, so the rare package is in 5%. */
    private static final int VARIANTS = 300;
    /** The package only every 20th variant keeps: the targeted re-match's key. */
    private static final String RARE_GROUP = "commons-collections";

    private static final String RARE_ARTIFACT = "commons-collections";
    /** Real versions of the image's Maven packages, some affected by the pinned advisories, some not. */
    private static final Map<String, List<String>> VERSIONS = Map.of(
            "jackson-databind", List.of("2.9.10.1", "2.12.6", "2.13.2", "2.13.4.2", "2.15.2"),
            "log4j-core", List.of("2.14.1", "2.15.0", "2.16.0", "2.17.0", "2.17.1"),
            "log4j-api", List.of("2.14.1", "2.17.1", "2.17.2"),
            "snakeyaml", List.of("1.29", "1.30", "1.33", "2.0"),
            "spring-core", List.of("5.3.17", "5.3.18", "5.3.20", "5.3.32"),
            "spring-web", List.of("5.3.17", "5.3.18", "5.3.20", "5.3.32"),
            "spring-webmvc", List.of("5.3.17", "5.3.18", "5.3.20", "5.3.32"),
            "spring-beans", List.of("5.3.17", "5.3.18", "5.3.20"),
            "tomcat-embed-core", List.of("9.0.60", "9.0.62", "9.0.71", "9.0.83"),
            "logback-classic", List.of("1.2.11", "1.2.13", "1.3.14"));

    private ServerRescanBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path sbom = Path.of(required("palisade.bench.sbom"));
        String mirror = System.getProperty("palisade.bench.mirror");
        List<Integer> threadCounts = new ArrayList<>();
        for (String t : System.getProperty("palisade.bench.threads", "1,2").split(",")) {
            threadCounts.add(Integer.parseInt(t.strip()));
        }
        String jfr = System.getProperty("palisade.bench.jfr");
        int served = Math.min(n, Integer.getInteger("palisade.bench.ingest", 1000));
        if (served < Math.min(n, VARIANTS)) {
            throw new IllegalArgumentException("ingest at least " + VARIANTS + " inventories through the service");
        }

        Path temp = Files.createTempDirectory("palisade-rescan-bench-");
        Path databaseFile =
                mirror == null ? TestDatabase.databaseFile() : build(Path.of(mirror), temp.resolve("cache"));
        Storage storage = new Storage.Sqlite(temp.resolve("data").resolve("server.sqlite"));
        ObjectMapper json = new ObjectMapper();
        JsonNode base = json.readTree(sbom.toFile());
        List<byte[]> variants = new ArrayList<>();
        for (int v = 0; v < VARIANTS; v++) {
            variants.add(json.writeValueAsBytes(variant(base, v)));
        }
        say(
                "%d cores, %s, max heap %d MiB, storage %s, database %s",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.version"),
                Runtime.getRuntime().maxMemory() >> 20,
                storage.describe(),
                databaseFile);
        say(
                "%d inventories, %d distinct package sets, %d components in the base SBOM (%d bytes)",
                n, VARIANTS, base.path("components").size(), Files.size(sbom));

        long started = System.nanoTime();
        try (PalisadeServer server = start(storage, temp, databaseFile, 2)) {
            InventoryService service = server.service();
            Recording recording = null;
            if (jfr != null) {
                recording = new Recording(Configuration.getConfiguration("profile"));
                recording.setDestination(Path.of(jfr.replace(".jfr", "-ingest.jfr")));
                recording.start();
            }
            ExecutorService ingest = Executors.newFixedThreadPool(2);
            try {
                List<Future<InventoryService.Submitted>> submitted = new ArrayList<>();
                for (int i = 0; i < served; i++) {
                    InventoryService.Submission submission = new InventoryService.Submission(
                            String.format(Locale.ROOT, "app-%03d", i / 100),
                            String.format(Locale.ROOT, "svc-%05d", i),
                            DeploymentModel.CONTAINER,
                            ArtifactKind.SBOM,
                            "bench",
                            variants.get(i % VARIANTS),
                            "bench");
                    submitted.add(ingest.submit(() -> service.submit(submission)));
                }
                long findings = 0;
                long chunkStarted = started;
                int chunk = Math.max(1, served / 10);
                for (int i = 0; i < served; i++) {
                    findings += submitted.get(i).get().changes().added().size();
                    if ((i + 1) % chunk == 0) {
                        // whether ingest slows down as the store grows
                        say("  ingest: %d stored, the last %d at %.1f/s", i + 1, chunk, chunk / seconds(chunkStarted));
                        chunkStarted = System.nanoTime();
                    }
                }
                double seconds = seconds(started);
                say(
                        "ingest through the service: %d inventories in %.1f s (%.1f/s, 2 threads),"
                                + " %d findings stored (%.1f per inventory)",
                        served, seconds, served / seconds, findings, (double) findings / served);
            } finally {
                ingest.shutdownNow();
                if (recording != null) {
                    recording.stop();
                    recording.close();
                }
            }
        }
        if (served < n) {
            long t0 = System.nanoTime();
            copy(temp.resolve("data").resolve("server.sqlite"), served, n);
            say(
                    "the other %d inventories copied in SQL from those stored (same rows, other target names) in %.1f s",
                    n - served, seconds(t0));
        }
        say("storage: %d MiB", sizeOf(temp.resolve("data")) >> 20);

        boolean first = true;
        for (int threads : threadCounts) {
            try (PalisadeServer server = start(storage, temp, databaseFile, threads)) {
                InventoryService service = server.service();
                Recording recording = null;
                if (first && jfr != null) {
                    recording = new Recording(Configuration.getConfiguration("profile"));
                    recording.setDestination(Path.of(jfr));
                    recording.start();
                }
                long t0 = System.nanoTime();
                InventoryService.Rematch all = service.rematchAll();
                double seconds = seconds(t0);
                if (recording != null) {
                    recording.stop();
                    recording.close();
                    say("JFR recording of this full re-match: %s", jfr);
                }
                say(
                        "full re-match, %d thread(s): %d inventories in %.1f s (%.1f/s, %.1f ms each),"
                                + " %d added, %d resolved, %d failures",
                        threads,
                        all.inventories(),
                        seconds,
                        all.inventories() / seconds,
                        1000 * seconds / Math.max(1, all.inventories()),
                        all.added(),
                        all.resolved(),
                        all.failures().size());
                if (first) {
                    for (int run = 1; run <= 3; run++) {
                        long t1 = System.nanoTime();
                        InventoryService.Rematch some =
                                service.rematch(Set.of(new PackageKey("Maven", RARE_GROUP + ":" + RARE_ARTIFACT)));
                        say(
                                "targeted re-match (Maven %s:%s), run %d: %d inventories in %.3f s, %d failures",
                                RARE_GROUP,
                                RARE_ARTIFACT,
                                run,
                                some.inventories(),
                                seconds(t1),
                                some.failures().size());
                    }
                    long t2 = System.nanoTime();
                    InventoryService.Rematch none =
                            service.rematch(Set.of(new PackageKey("Maven", "com.example.palisade:not-held")));
                    say(
                            "targeted re-match of a key no inventory holds: %d inventories in %.3f s",
                            none.inventories(), seconds(t2));
                }
                first = false;
            }
        }
        say("total %.1f s; data left in %s", seconds(started), temp);
    }

    /** The base SBOM with a variant's changes: a few Maven versions changed, a few OS packages dropped, the rare one kept or not. */
    private static JsonNode variant(JsonNode base, int v) {
        ObjectNode document = base.deepCopy();
        document.put("serialNumber", "urn:uuid:00000000-0000-4000-8000-" + String.format(Locale.ROOT, "%012d", v));
        Random random = new Random(v);
        ArrayNode components = (ArrayNode) document.path("components");
        for (Iterator<JsonNode> it = components.iterator(); it.hasNext(); ) {
            ObjectNode component = (ObjectNode) it.next();
            String purl = component.path("purl").asText("");
            String name = component.path("name").asText("");
            if (purl.startsWith("pkg:maven/" + RARE_GROUP + "/" + RARE_ARTIFACT + "@") && v % 20 != 0) {
                it.remove();
            } else if (purl.startsWith("pkg:deb/") && random.nextInt(40) == 0) {
                it.remove(); // about 2 of the 88 OS packages
            } else if (purl.startsWith("pkg:maven/") && VERSIONS.containsKey(name) && random.nextInt(3) == 0) {
                List<String> versions = VERSIONS.get(name);
                String old = component.path("version").asText();
                String now = versions.get(random.nextInt(versions.size()));
                component.put("version", now);
                component.put("purl", purl.replace("@" + old, "@" + now));
                component.put("bom-ref", component.path("bom-ref").asText().replace("@" + old, "@" + now));
                component.remove("hashes");
            }
        }
        return document;
    }

    /**
     * Inventories {@code from..n-1} as copies of the stored inventory of the same variant: target, scan, package keys
     * and findings rows, as the service would have stored them. The service's own ingest slows down as the store
     * grows, and 10,000 uploads through it would take longer than the re-match this measures.
     */
    private static void copy(Path sqlite, int from, int n) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite.toAbsolutePath())) {
            c.setAutoCommit(false);
            Map<Integer, long[]> variantScans = new java.util.HashMap<>(); // variant -> {target id, scan id}
            try (PreparedStatement q = c.prepareStatement("SELECT id, name, latest_scan_id FROM targets");
                    ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    String name = r.getString(2);
                    if (name.startsWith("svc-")) {
                        int i = Integer.parseInt(name.substring(4));
                        variantScans.putIfAbsent(i % VARIANTS, new long[] {r.getLong(1), r.getLong(3)});
                    }
                }
            }
            try (PreparedStatement application = c.prepareStatement(
                            "INSERT INTO applications (name, created_at) SELECT ?, created_at FROM applications"
                                    + " WHERE id = 1 ON CONFLICT (name) DO NOTHING");
                    PreparedStatement target = c.prepareStatement("INSERT INTO targets (application_id, name,"
                            + " deployment_model, kind, reference, created_at) SELECT a.id, ?, t.deployment_model,"
                            + " t.kind, t.reference, t.created_at FROM targets t, applications a"
                            + " WHERE t.id = ? AND a.name = ? RETURNING id");
                    PreparedStatement scan = c.prepareStatement("INSERT INTO scans (target_id, inventory_cyclonedx,"
                            + " package_digest, package_count, submitted_at, submitted_by, matched_at, database_built_at,"
                            + " database_sources) SELECT ?, inventory_cyclonedx, package_digest, package_count, submitted_at,"
                            + " submitted_by, matched_at, database_built_at, database_sources FROM scans WHERE id = ?"
                            + " RETURNING id");
                    PreparedStatement keys = c.prepareStatement("INSERT INTO scan_packages (scan_id, ecosystem, name)"
                            + " SELECT ?, ecosystem, name FROM scan_packages WHERE scan_id = ?");
                    PreparedStatement findings = c.prepareStatement("INSERT INTO findings (scan_id, vulnerability_id,"
                            + " package_purl, package_name, package_version, severity, status, fixed_version, title,"
                            + " kev_due_date, first_seen, resolved_at) SELECT ?, vulnerability_id, package_purl,"
                            + " package_name, package_version, severity, status, fixed_version, title, kev_due_date,"
                            + " first_seen, resolved_at FROM findings WHERE scan_id = ?");
                    PreparedStatement latest =
                            c.prepareStatement("UPDATE targets SET latest_scan_id = ? WHERE id = ?")) {
                for (int i = from; i < n; i++) {
                    long[] template = variantScans.get(i % VARIANTS);
                    String app = String.format(Locale.ROOT, "app-%03d", i / 100);
                    application.setString(1, app);
                    application.executeUpdate();
                    target.setString(1, String.format(Locale.ROOT, "svc-%05d", i));
                    target.setLong(2, template[0]);
                    target.setString(3, app);
                    long targetId = single(target);
                    scan.setLong(1, targetId);
                    scan.setLong(2, template[1]);
                    long scanId = single(scan);
                    keys.setLong(1, scanId);
                    keys.setLong(2, template[1]);
                    keys.executeUpdate();
                    findings.setLong(1, scanId);
                    findings.setLong(2, template[1]);
                    findings.executeUpdate();
                    latest.setLong(1, scanId);
                    latest.setLong(2, targetId);
                    latest.executeUpdate();
                }
            }
            c.commit();
        }
    }

    private static long single(PreparedStatement statement) throws Exception {
        try (ResultSet r = statement.executeQuery()) {
            if (!r.next()) {
                throw new IllegalStateException("the statement returned no row");
            }
            return r.getLong(1);
        }
    }

    private static PalisadeServer start(Storage storage, Path temp, Path databaseFile, int threads) throws IOException {
        return PalisadeServer.start(new PalisadeServer.Config(
                "127.0.0.1",
                0,
                storage,
                temp.resolve("data"),
                Tokens.none(),
                32L << 20,
                databaseFile,
                InventoryService.DatabaseUpdate::unchanged,
                null,
                Clock.systemUTC(),
                "bench",
                threads,
                PalisadeServer.ImageScanning.off(),
                null,
                (level, message) -> {
                    if (level != ServerLog.Level.INFO) {
                        System.err.println(level + " " + message);
                    }
                }));
    }

    private static Path build(Path osvMirror, Path cache) throws IOException {
        DirectoryMirror osv = new DirectoryMirror(osvMirror);
        DatabaseUpdater updater = new DatabaseUpdater(cache, Clock.systemUTC(), message -> {});
        updater.update(
                osv,
                new DirectoryMirror(osvMirror.resolveSibling("kev")),
                "known_exploited_vulnerabilities.json",
                osv.ecosystems(),
                false);
        return updater.databaseFile();
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalArgumentException("set -D" + property);
        }
        return value;
    }

    private static long sizeOf(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            long total = 0;
            for (Path f : (Iterable<Path>) files::iterator) {
                total += Files.size(f);
            }
            return total;
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
