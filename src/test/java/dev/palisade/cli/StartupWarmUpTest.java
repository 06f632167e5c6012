package dev.palisade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
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
    void shouldOnlyPrepareTheDatabaseDatesForAVersionRun() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "the warm-up needs a second processor");
        Thread warmUp = StartupWarmUp.start(new String[] {"--version"});

        assertThat(warmUp).isNotNull();
        assertThat(warmUp.isDaemon()).isTrue();
        warmUp.join(Duration.ofSeconds(30).toMillis());
        assertThat(warmUp.isAlive()).isFalse();
    }

    @Test
    void shouldPrepareTheDateFormatTheDatabaseConnectionUses() {
        StartupWarmUp.initialiseDatabaseDates();

        // sqlite-jdbc keeps each format it built: the warm-up pays off only if a connection asks for the same one
        assertThat(new SQLiteConfig().newConnectionConfig().getDateFormat())
                .isSameAs(FastDateFormat.getInstance(SQLiteConfig.DEFAULT_DATE_STRING_FORMAT));
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
