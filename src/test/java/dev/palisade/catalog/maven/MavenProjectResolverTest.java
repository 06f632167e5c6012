package dev.palisade.catalog.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palisade.inventory.Package;
import dev.palisade.source.Problem;
import dev.palisade.testing.MavenProjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small real Maven project resolved against a local repository the test writes itself, offline, so
 * that no network is needed: a parent from the repository and one by relative path, a property-defined
 * version, a BOM import, an exclusion, an optional dependency and a test-scope dependency.
 */
class MavenProjectResolverTest {
    @TempDir
    Path temp;

    MavenProjects maven;
    Path repo;
    Path project;

    @BeforeEach
    void writeRepository() throws IOException {
        maven = MavenProjects.write(temp);
        repo = maven.repo;
        project = maven.project;
    }

    @Test
    void resolvesTheTreeWithScopesAndPaths() {
        MavenProjectResolver.Result result = resolve(true);

        assertThat(result.problems()).isEmpty();
        assertThat(summary(result.packages()))
                .containsExactly(
                        Map.entry(
                                "org.example:lib-a@2.0",
                                "compile|app/pom.xml|com.example:app:1.0 > org.example:lib-a:2.0"),
                        Map.entry(
                                "org.example:lib-b@1.0",
                                "compile|app/pom.xml|com.example:app:1.0 > org.example:lib-a:2.0 > org.example:lib-b:1.0"),
                        Map.entry(
                                "org.example:lib-c@1.5",
                                "compile|app/pom.xml|com.example:app:1.0 > org.example:lib-a:2.0 > org.example:lib-c:1.5"),
                        Map.entry(
                                "org.example:test-dep@1.0",
                                "test|app/pom.xml|com.example:app:1.0 > org.example:test-lib:1.0 > org.example:test-dep:1.0"),
                        Map.entry(
                                "org.example:test-lib@1.0",
                                "test|app/pom.xml|com.example:app:1.0 > org.example:test-lib:1.0"));
        Package libA = find(result, "org.example:lib-a");
        assertThat(libA.purl()).isEqualTo("pkg:maven/org.example/lib-a@2.0");
        assertThat(libA.metadata())
                .containsEntry("direct", "true")
                .containsEntry("dependsOn", "pkg:maven/org.example/lib-b@1.0 pkg:maven/org.example/lib-c@1.5");
        assertThat(find(result, "org.example:lib-b").metadata())
                .containsEntry("direct", "false")
                .doesNotContainKey("dependsOn");
        assertThat(libA.foundBy()).isEqualTo(MavenProjectResolver.NAME);
    }

    @Test
    void offlineReportsWhatIsMissingAndKeepsTheRest() throws IOException {
        Files.delete(repo.resolve("org/example/lib-b/1.0/lib-b-1.0.pom"));

        MavenProjectResolver.Result result = resolve(true);

        assertThat(result.packages())
                .extracting(Package::name)
                .containsExactlyInAnyOrder(
                        "org.example:lib-a",
                        "org.example:lib-b",
                        "org.example:lib-c",
                        "org.example:test-lib",
                        "org.example:test-dep");
        assertThat(result.problems())
                .containsExactly(
                        new Problem(
                                "app/pom.xml",
                                null,
                                "org.example:lib-b:1.0: its POM is not in the local repository and --offline is set: its own dependencies are not listed"));
    }

    @Test
    void aMissingParentIsReportedNotSkipped() throws IOException {
        Files.delete(repo.resolve("com/example/corp-parent/1/corp-parent-1.pom"));

        MavenProjectResolver.Result result = resolve(true);

        assertThat(result.packages()).isEmpty();
        assertThat(result.problems()).extracting(Problem::path).contains("pom.xml", "app/pom.xml");
        assertThat(result.problems()).allSatisfy(p -> assertThat(p.reason())
                .startsWith("the project's model cannot be built (")
                .contains("com.example:corp-parent"));
    }

    @Test
    void aPomWithEntitiesIsRefused() throws IOException {
        MavenProjects.writeFile(
                repo.resolve("org/example/lib-c/1.5/lib-c-1.5.pom"),
                "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                        + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
                        + MavenProjects.project(
                                "<groupId>org.example</groupId><artifactId>lib-c</artifactId><version>1.5</version><name>&lol2;</name>"));

        MavenProjectResolver.Result result = resolve(true);

        assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.reason())
                .startsWith("org.example:lib-c:1.5: its POM cannot be used (")
                .contains("document type declaration"));
    }

    @Test
    void aParentCycleIsReported() throws IOException {
        maven.pom(
                "com.example",
                "corp-parent",
                "1",
                "<parent><groupId>com.example</groupId><artifactId>corp-grandparent</artifactId>"
                        + "<version>1</version><relativePath/></parent><packaging>pom</packaging>");
        maven.pom(
                "com.example",
                "corp-grandparent",
                "1",
                "<parent><groupId>com.example</groupId><artifactId>corp-parent</artifactId>"
                        + "<version>1</version><relativePath/></parent><packaging>pom</packaging>");

        MavenProjectResolver.Result result = resolve(true);

        assertThat(result.packages()).isEmpty();
        assertThat(result.problems()).isNotEmpty().allSatisfy(p -> assertThat(p.reason())
                .contains("cycle"));
    }

    @Test
    void anOversizedPomIsRefused() throws IOException {
        maven.pom("org.example", "lib-c", "1.5", "<description>" + "x".repeat(300_000) + "</description>");

        MavenProjectResolver.Result result =
                new MavenProjectResolver(MavenSettings.of(repo, true), 100_000).resolve(project);

        assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.reason())
                .startsWith("org.example:lib-c:1.5: its POM cannot be used (")
                .contains("larger than the limit of 100000 bytes"));
    }

    @Test
    void resolvesThroughASettingsMirrorIntoTheLocalRepository() throws Exception {
        MavenProjectResolver.Result offline = resolve(true);
        try (var files = Files.walk(repo)) {
            for (Path pom : files.filter(f -> f.toString().endsWith(".pom")).toList()) {
                byte[] sha1 = java.security.MessageDigest.getInstance("SHA-1").digest(Files.readAllBytes(pom));
                Files.writeString(
                        pom.resolveSibling(pom.getFileName() + ".sha1"),
                        java.util.HexFormat.of().formatHex(sha1));
            }
        }
        Path local = temp.resolve("empty-local");
        MavenSettings settings = MavenSettings.of(local, false)
                .withMirrors(
                        List.of(new MavenSettings.Mirror("inhouse", repo.toUri().toString(), "*")));

        MavenProjectResolver.Result result = new MavenProjectResolver(settings, 1_000_000).resolve(project);

        assertThat(result.problems()).isEmpty();
        assertThat(summary(result.packages()))
                .isEqualTo(summary(offline.packages()))
                .hasSize(5);
        assertThat(local.resolve("org/example/lib-a/2.0/lib-a-2.0.pom")).isRegularFile();
    }

    @Test
    void readsLocalRepositoryAndMirrorsFromSettingsXmlButNoEntities() throws Exception {
        MavenSettings.SettingsXml settings = MavenSettings.SettingsXml.parse(("<settings><localRepository> /data/m2 "
                        + "</localRepository><servers><server><id>inhouse</id><password>secret</password></server></servers>"
                        + "<mirrors><mirror><id>inhouse</id><name>In house</name><url>https://repo.example.com/maven2</url>"
                        + "<mirrorOf>external:*,!snapshots</mirrorOf></mirror></mirrors></settings>")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(settings.localRepository()).isEqualTo("/data/m2");
        assertThat(settings.mirrors())
                .containsExactly(new MavenSettings.Mirror(
                        "inhouse", "https://repo.example.com/maven2", "external:*,!snapshots"));
        assertThatThrownBy(() -> MavenSettings.SettingsXml.parse(
                        "<!DOCTYPE s [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><settings>&x;</settings>"
                                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aDirectoryWithoutPomHasNothing() throws IOException {
        Path empty = Files.createDirectories(temp.resolve("empty"));
        assertThat(new MavenProjectResolver(MavenSettings.of(repo, true), 1_000_000)
                        .resolve(empty)
                        .packages())
                .isEmpty();
    }

    /**
     * A repository that accepts connections and never answers: without the scan's deadline every POM
     * would wait for the 60 s request timeout, one after another.
     */
    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aStalledRepositoryStopsAtTheScansDeadline() throws Exception {
        com.sun.net.httpserver.HttpServer stalled =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        stalled.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        stalled.createContext("/", exchange -> {
            asked.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        stalled.start();
        try {
            MavenSettings settings = MavenSettings.of(temp.resolve("empty-local"), false)
                    .withMirrors(List.of(new MavenSettings.Mirror(
                            "stalled",
                            "http://127.0.0.1:" + stalled.getAddress().getPort() + "/",
                            "*")));
            long start = System.nanoTime();

            MavenProjectResolver.Result result = new MavenProjectResolver(
                            settings, 1_000_000, dev.palisade.source.Deadline.after(java.time.Duration.ofSeconds(2)))
                    .resolve(project);

            long seconds = java.time.Duration.ofNanos(System.nanoTime() - start).toSeconds();
            assertThat(seconds).isLessThan(15);
            assertThat(asked.get()).isPositive();
            assertThat(result.problems()).extracting(Problem::reason).anySatisfy(reason -> assertThat(reason)
                    .startsWith(MavenProjectResolver.TIME_RAN_OUT));
        } finally {
            release.countDown();
            stalled.stop(0);
        }
    }

    private MavenProjectResolver.Result resolve(boolean offline) {
        return new MavenProjectResolver(MavenSettings.of(repo, offline), 1_000_000).resolve(project);
    }

    private static Package find(MavenProjectResolver.Result result, String name) {
        return result.packages().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    /** name@version -> scope|location|path, sorted. */
    static Map<String, String> summary(List<Package> packages) {
        return packages.stream()
                .collect(Collectors.toMap(
                        p -> p.name() + "@" + p.version(),
                        p -> p.metadata().get("scope") + "|"
                                + p.locations().get(0).path() + "|"
                                + p.metadata().get("dependencyPath"),
                        (a, b) -> a + " AND " + b,
                        TreeMap::new));
    }
}
