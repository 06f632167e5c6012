package dev.palisade.cli;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Class initialisation a command needs later, done on the second core while the main thread builds the command
 * line: Jackson's mappers (their static set-up reads the locale providers' calendar data), {@code BigDecimal}
 * (JDK 25 computes tables of powers in it; Jackson's parsers reference it) and the SHA-256 provider. Only classes
 * are initialised, nothing is kept: a class is initialised once whichever thread comes first, and a thread that
 * needs it meanwhile waits for it, so what a run computes does not change. Not for {@code --version}, which needs
 * none of it.
 */
final class StartupWarmUp {
    static final String THREAD_NAME = "palisade-warm-up";

    private StartupWarmUp() {}

    /** Starts the warm-up as a daemon thread, so that it never holds up the end of a run; null when not wanted. */
    static @org.jspecify.annotations.Nullable Thread start(String[] args) {
        if (PalisadeCommand.onlyAsksForVersion(args)) {
            return null;
        }
        Thread thread = new Thread(StartupWarmUp::initialise, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Whether everything named was initialised; when not, the run initialises what it needs itself. */
    static boolean initialise() {
        try {
            Class.forName("dev.palisade.source.StructuredText");
            Class.forName("java.math.BigDecimal");
            MessageDigest.getInstance("SHA-256");
            return true;
        } catch (ClassNotFoundException | NoSuchAlgorithmException | LinkageError e) {
            return false;
        }
    }
}
