package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConfig;
import org.sqlite.date.FastDateFormat;

/** The class initialisation a scan's start-up leaves to the second core. */
class StartupWarmUpTest {
    @Test
    void shouldWarmUpOnADaemonThreadThatEnds() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "the warm-up needs a second processor");
        Thread warmUp = StartupWarmUp.start(new String[] {"image", "debian.tar"});

        assertThat(warmUp).isNotNull();
        assertThat(warmUp.isDaemon()).as("never holds up the end of a run").isTrue();
        assertThat(warmUp.getName()).isEqualTo(StartupWarmUp.THREAD_NAME);
        warmUp.join(Duration.ofSeconds(30).toMillis());
        assertThat(warmUp.isAlive()).isFalse();
    }

    @Test
    void shouldWarmUpAVersionRunToo() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "the warm-up needs a second processor");
        for (String version : new String[] {"--version", "-V"}) {
            Thread warmUp = StartupWarmUp.start(new String[] {version});

            assertThat(warmUp).as(version).isNotNull();
            assertThat(warmUp.isDaemon()).isTrue();
            warmUp.join(Duration.ofSeconds(30).toMillis());
            assertThat(warmUp.isAlive()).isFalse();
        }
    }

    @Test
    void shouldBuildTheDateFormatTheDatabaseConnectionAsksFor() {
        FastDateFormat warmedUp = StartupWarmUp.initialiseDatabaseDates();

        // as SqliteVulnerabilityStore.connect opens the database; sqlite-jdbc keeps each format it built, so the
        // warm-up pays off only if the connection asks for the very same one
        Properties properties = new Properties();
        properties.setProperty("open_mode", "1");
        assertThat(warmedUp).isNotNull();
        assertThat(new SQLiteConfig(properties).newConnectionConfig().getDateFormat())
                .isSameAs(warmedUp);
    }

    @Test
    void shouldInitialiseTheClassesItNames() throws Exception {
        assertThat(StartupWarmUp.initialise())
                .as("every class found and the made-up advisory parsed")
                .isTrue();

        // each name resolves: a renamed class would otherwise leave the warm-up silently doing nothing
        assertThat(Class.forName(
                        "dev.palisade.source.StructuredText", false, getClass().getClassLoader()))
                .isNotNull();
    }
}
