package dev.palisade.bench;

import dev.palisade.catalog.Purls;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.OsRelease;
import dev.palisade.inventory.Package;
import dev.palisade.match.Matcher;
import dev.palisade.source.ArtifactDescription;
import dev.palisade.source.ArtifactKind;
import dev.palisade.source.DeploymentModel;
import dev.palisade.vulndb.sqlite.SqliteVulnerabilityStore;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Matching 10,000 packages against the database built from ../shared/vulndata. The packages are drawn
 * (with a fixed seed) from the names the database has advisories for, in every ecosystem, so every
 * lookup hits and every range is evaluated; Debian packages are matched as bullseye packages.
 * {@code cold} opens a fresh store each time (no parsed-advisory cache); {@code warm} reuses one.
 * Run with bench/match-bench.sh (which builds the database first).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MatchBenchmark {
    @Param("10000")
    int packages;

    Path database;
    Inventory inventory;
    SqliteVulnerabilityStore warmStore;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        database = Paths.get(System.getProperty("palisade.bench.db", "bench/out/cache/vulndb.sqlite"));
        List<String[]> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery("SELECT DISTINCT ecosystem, name FROM affected ORDER BY ecosystem, name")) {
            while (r.next()) {
                names.add(new String[] {r.getString(1), r.getString(2)});
            }
        }
        Random random = new Random(42);
        List<Package> list = new ArrayList<>();
        for (int i = 0; i < packages; i++) {
            String[] pick = names.get(random.nextInt(names.size()));
            list.add(toPackage(pick[0], pick[1], random));
        }
        ArtifactDescription artifact =
                new ArtifactDescription("bench", ArtifactKind.ROOTFS, DeploymentModel.VM, List.of(), null);
        OsRelease bullseye = new OsRelease("debian", "11", "bullseye", null, null, Location.of("etc/os-release"));
        inventory = new Inventory(artifact, bullseye, list, List.of());
        warmStore = SqliteVulnerabilityStore.open(database);
        new Matcher(warmStore).match(inventory);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        warmStore.close();
    }

    static Package toPackage(String ecosystem, String name, Random random) {
        String version = random.nextInt(5) + "." + random.nextInt(20) + "." + random.nextInt(10);
        Ecosystem e =
                switch (ecosystem.contains(":") ? ecosystem.substring(0, ecosystem.indexOf(':')) : ecosystem) {
                    case "Debian" -> Ecosystem.DEBIAN;
                    case "Go" -> Ecosystem.GO;
                    case "Maven" -> Ecosystem.MAVEN;
                    case "npm" -> Ecosystem.NPM;
                    case "PyPI" -> Ecosystem.PYPI;
                    case "crates.io" -> Ecosystem.CARGO;
                    case "RubyGems" -> Ecosystem.GEM;
                    case "Packagist" -> Ecosystem.COMPOSER;
                    default -> Ecosystem.NPM;
                };
        if (e == Ecosystem.GO) {
            version = "v" + version;
        }
        String debianVersion = version + "-1";
        return new Package(
                e,
                name,
                e == Ecosystem.DEBIAN ? debianVersion : version,
                Purls.of(Ecosystem.NPM, null, "bench", "1.0.0"),
                List.of(Location.of("bench")),
                e == Ecosystem.DEBIAN ? name : null,
                e == Ecosystem.DEBIAN ? debianVersion : null,
                "bench",
                Map.of());
    }

    @Benchmark
    public Matcher.Result cold() throws Exception {
        try (SqliteVulnerabilityStore store = SqliteVulnerabilityStore.open(database)) {
            return new Matcher(store).match(inventory);
        }
    }

    @Benchmark
    public Matcher.Result warm() throws Exception {
        return new Matcher(warmStore).match(inventory);
    }
}
