package dev.palisade.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.palisade.source.image.ImageReference;
import dev.palisade.testing.Cli;
import dev.palisade.testing.FakeRegistry;
import dev.palisade.testing.FakeRegistry.Behaviour;
import dev.palisade.testing.ImageBuilder;
import dev.palisade.testing.JsonReports;
import dev.palisade.testing.TarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Registries that misbehave, served by {@link FakeRegistry} on 127.0.0.1: each gives a clear error or a safe result. */
class HostileRegistryTest {
    @TempDir
    Path tmp;

    Path layout;

    @BeforeEach
    void image() throws Exception {
        byte[] layer = new TarBuilder()
                .file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
                .file("var/lib/dpkg/status", "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2\n\n")
                .file("padding", new byte[300_000], 0644)
                .build();
        layout = new ImageBuilder().layer(layer, "base").ociLayout(Files.createDirectory(tmp.resolve("oci")));
    }

    static Cli.Result scan(FakeRegistry registry, Map<String, String> env) {
        return Cli.runWith(
                env, "image", registry.host() + "/team/app:1.0", "--insecure", "--scanners", "none", "-f", "json");
    }

    /** A client of the repository team/app, anonymous, plain HTTP allowed. */
    static RegistryClient client(FakeRegistry registry) {
        return new RegistryClient(
                ImageReference.parse(registry.host() + "/team/app").orElseThrow(),
                null,
                RegistryClient.Settings.defaults(true));
    }

    @Test
    void shouldFollowTheBearerTokenFlow() throws Exception {
        try (FakeRegistry registry = new FakeRegistry(layout, "team/app", Behaviour.BEARER)) {
            Cli.Result result = scan(registry, Map.of());

            assertThat(result.exit()).as(result.err()).isZero();
            assertThat(JsonReports.purls(JsonReports.read(result.out())))
                    .anySatisfy(purl -> assertThat(purl).startsWith("pkg:deb/debian/bash@5.2.15-2"));
            assertThat(registry.authorizationsSeen).contains("Bearer fake-token-123");
        }
    }

    @Test
    void shouldNotSendCredentialsToTheHostABlobRedirectsTo() throws Exception {
        try (FakeRegistry registry = new FakeRegistry(layout, "team/app", Behaviour.REDIRECT_BLOBS_ELSEWHERE)) {
            Cli.Result result =
                    scan(registry, Map.of("PALISADE_REGISTRY_USERNAME", "u", "PALISADE_REGISTRY_PASSWORD", "p"));

            assertThat(result.exit()).as(result.err()).isZero();
            assertThat(registry.authorizationsSeenElsewhere).isNotEmpty().containsOnly("null");
        }
    }

    @Test
    void shouldFollowTagListPagination() throws Exception {
        try (FakeRegistry registry = new FakeRegistry(layout, "team/app", Behaviour.NORMAL)) {
            RegistryClient client = client(registry);

            assertThat(client.tags(100).tags()).containsExactly("1.0", "1.1", "2.0", "latest");
            assertThat(client.tags(100).notTagNames()).isZero();
            assertThat(client.tags(3).tags()).as("bounded").hasSize(3);
        }
    }

    /** Entries that are not tag names never become part of a URL or a message: counted, and the rest listed. */
    @Test
    void shouldCountWhatIsNoTagNameAndListTheRest() throws Exception {
        try (FakeRegistry registry = new FakeRegistry(layout, "team/app", Behaviour.NOT_TAG_NAMES)) {
            RegistryClient client = client(registry);

            RegistryClient.TagList listed = client.tags(100);

            assertThat(listed.tags()).containsExactly("1.0", "1.1", "2.0", "latest");
            assertThat(listed.notTagNames()).isEqualTo(6);
        }
    }

    /** The registry command says so and does not exit 0, though every tag it could scan was scanned. */
    @Test
    void shouldNotExitZeroWhenTheTagListHeldEntriesThatAreNoTagNames() throws Exception {
        try (FakeRegistry registry = new FakeRegistry(layout, "team/app", Behaviour.NOT_TAG_NAMES)) {
            Cli.Result result = Cli.run(
                    "registry", registry.host() + "/team/app", "--tags", "1\\.0", "--insecure", "--scanners", "none");

            assertThat(result.err())
                    .contains("the registry listed 6 entries that are not tag names; they were not scanned");
            assertThat(result.out()).containsPattern("(?m)^1\\.0 ");
            assertThat(result.exit()).as("unreadable (2)").isEqualTo(2);
        }
    }

    @Test
    void shouldRetryAfterBeingThrottled() throws Exception {
        try (FakeRegistry registry = new FakeRegistry(layout, "team/app", Behaviour.THROTTLED_ONCE)) {
            long start = System.nanoTime();
            Cli.Result result = scan(registry, Map.of());

            assertThat(result.exit()).as(result.err()).isZero();
            assertThat(JsonReports.purls(JsonReports.read(result.out())))
                    .anySatisfy(purl -> assertThat(purl).startsWith("pkg:deb/debian/bash@5.2.15-2"));
            assertThat(System.nanoTime() - start)
                    .as("Retry-After: 1 was honoured")
                    .isGreaterThan(900_000_000L);
        }
    }

    @Test
    void shouldFailAtOnceAfterTheLastAttemptInsteadOfSleepingAgain() throws Exception {
        try (FakeRegistry registry = new FakeRegistry(layout, "team/app", Behaviour.THROTTLED_FOREVER)) {
            long start = System.nanoTime();
            Cli.Result result = Cli.run(
                    "image",
                    registry.host() + "/team/app:1.0",
                    "--insecure",
                    "--scanners",
                    "none",
                    "--registry-retries",
                    "1");
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;

            assertThat(result.exit()).isEqualTo(2);
            assertThat(result.err()).contains("after 2 attempts");
            assertThat(seconds)
                    .as("one Retry-After of 2 s between the two attempts, none after the last")
                    .isBetween(2L, 3L);
        }
    }

    @Test
    void shouldStopAnEndlessRedirectLoop() throws Exception {
        try (FakeRegistry registry = new FakeRegistry(layout, "team/app", Behaviour.REDIRECT_LOOP)) {
            Cli.Result result = scan(registry, Map.of());

            assertThat(result.exit()).isEqualTo(2);
            assertThat(result.err()).contains("more than 10 redirects");
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Behaviour.class,
            names = {"MALFORMED_REALM", "FILE_REALM"})
    void shouldRefuseATokenRealmThatIsNoHttpUrl(Behaviour realm) throws Exception {
        try (FakeRegistry registry = new FakeRegistry(layout, "team/app", realm)) {
            Cli.Result result = scan(registry, Map.of());

            assertThat(result.exit()).as(result.err()).isEqualTo(2);
            assertThat(result.err())
                    .contains("token realm")
                    .doesNotContain("Exception")
                    .doesNotContain("\u0000");
            assertThat(result.err().lines()).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Behaviour.class,
            names = {"MALFORMED_REDIRECT", "FILE_REDIRECT"})
    void shouldRefuseARedirectThatIsNoHttpUrl(Behaviour redirect) throws Exception {
        try (FakeRegistry registry = new FakeRegistry(layout, "team/app", redirect)) {
            Cli.Result result = scan(registry, Map.of());

            assertThat(result.exit()).as(result.err()).isEqualTo(2);
            assertThat(result.err())
                    .contains("the Location of its redirect 307")
                    .doesNotContain("Exception");
            assertThat(result.err().lines()).hasSize(1);
        }
    }

    @Test
    void shouldRetryAtOnceAfterANegativeRetryAfter() throws Exception {
        try (FakeRegistry registry = new FakeRegistry(layout, "team/app", Behaviour.NEGATIVE_RETRY_AFTER)) {
            Cli.Result result = scan(registry, Map.of());

            assertThat(result.exit()).as(result.err()).isZero();
            assertThat(JsonReports.purls(JsonReports.read(result.out())))
                    .anySatisfy(purl -> assertThat(purl).startsWith("pkg:deb/debian/bash@5.2.15-2"));
        }
    }

    @Test
    void shouldRefuseANextPageThatIsNoUrl() throws Exception {
        try (FakeRegistry registry = new FakeRegistry(layout, "team/app", Behaviour.MALFORMED_NEXT_PAGE)) {
            RegistryClient client = client(registry);

            assertThatThrownBy(() -> client.tags(100))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageEndingWith("the next page of its tag list is not a URL");
        }
    }

    @Test
    void shouldGiveUpOnEndless401sWithoutLeakingTheSecret() throws Exception {
        try (FakeRegistry registry = new FakeRegistry(layout, "team/app", Behaviour.UNAUTHORIZED_FOREVER)) {
            Cli.Result result = scan(
                    registry,
                    Map.of("PALISADE_REGISTRY_USERNAME", "u", "PALISADE_REGISTRY_PASSWORD", "hunter2-secret"));

            assertThat(result.exit()).isEqualTo(2);
            assertThat(result.err()).contains("refused access").doesNotContain("hunter2-secret");
        }
    }

    @Test
    void shouldFailOnABlobThatDoesNotMatchItsDigest() throws Exception {
        try (FakeRegistry registry = new FakeRegistry(layout, "team/app", Behaviour.TAMPERED_BLOB)) {
            Cli.Result result = scan(registry, Map.of());

            assertThat(result.exit()).isEqualTo(2);
            assertThat(result.err()).contains("could not be read");
            assertThat(result.out()).isEmpty();
        }
    }

    @Test
    void shouldRefuseAHugeManifest() throws Exception {
        try (FakeRegistry registry = new FakeRegistry(layout, "team/app", Behaviour.HUGE_MANIFEST)) {
            Cli.Result result = scan(registry, Map.of());

            assertThat(result.exit()).isEqualTo(2);
            assertThat(result.err()).contains("limit maxMetadataBytes");
        }
    }

    @Test
    void shouldFailWhenTheConnectionIsCutInALayer() throws Exception {
        try (FakeRegistry registry = new FakeRegistry(layout, "team/app", Behaviour.CUT_LAYER)) {
            Cli.Result result = scan(registry, Map.of());

            assertThat(result.exit()).isEqualTo(2);
            assertThat(result.err()).contains("could not be read");
        }
    }
}
