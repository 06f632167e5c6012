package dev.palisade.cli;

import dev.palisade.vulndb.osv.OsvParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;
import org.sqlite.date.FastDateFormat;

/**
 * Set-up a command needs later, done on the second core while the main thread builds the command line: the date
 * format every connection to the vulnerability database asks for, Jackson's mappers (their static set-up reads the
 * locale providers' calendar data), {@code BigDecimal} (JDK 25 computes tables of powers in it; Jackson's parsers
 * reference it), the compiled code of the SHA-256 and SHA-1 digests, and the OSV parser's deserializers (Jackson
 * builds them, and the method handles that call the records' constructors, on a mapper's first record). A class is
 * initialised once whichever thread comes first, and a thread that needs it meanwhile waits for it (the date format
 * is the exception: a main thread that asks for it before the warm-up has kept it builds an identical one). The date
 * format and the deserializers are the ones the run would have built, so what a run computes does not change. For
 * {@code --version}, which only describes the database, only the date format.
 */
final class StartupWarmUp {
    static final String THREAD_NAME = "palisade-warm-up";

    /** An advisory with every part the parser reads, so that all of its record types are met. */
    private static final String OSV_RECORD =
            """
            {"id": "PALISADE-WARM-UP", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-0000-0000"],
             "upstream": ["CVE-0000-0000"], "related": ["CVE-0000-0001"], "summary": "s", "details": "d",
             "published": "2026-01-01T00:00:00Z",
             "affected": [{"package": {"ecosystem": "Maven", "name": "g:a", "purl": "pkg:maven/g/a"},
               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1"}]}],
               "versions": ["0.1"], "database_specific": {"severity": "HIGH"},
               "ecosystem_specific": {"severity": "HIGH"}}],
             "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
             "references": [{"type": "WEB", "url": "https://example.com/advisory"}],
             "database_specific": {"severity": "HIGH"}}
            """;

    private StartupWarmUp() {}

    /** Starts the warm-up as a daemon thread, so that it never holds up the end of a run; null with one processor. */
    static @Nullable Thread start(String[] args) {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return null; // with one processor it would only take turns with the main thread
        }
        Runnable warmUp = PalisadeCommand.onlyAsksForVersion(args)
                ? () -> initialiseDatabaseDates()
                : () -> {
                    initialiseDatabaseDates();
                    initialise();
                };
        Thread thread = new Thread(warmUp, THREAD_NAME);
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((failed, error) -> {}); // e.g. out of memory: the run meets it itself
        thread.start();
        return thread;
    }

    /**
     * The date format every connection to the vulnerability database asks sqlite-jdbc for (its default pattern),
     * which sqlite-jdbc builds once per pattern, default time zone and locale and then keeps; building it reads the
     * locale providers' calendar data and date symbols. Opening the database is what {@code --version} spends most of
     * its time on. Null when it could not be built: the connection then builds it itself, and reports what fails.
     */
    static @Nullable FastDateFormat initialiseDatabaseDates() {
        try {
            return FastDateFormat.getInstance(SQLiteConfig.DEFAULT_DATE_STRING_FORMAT);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * Hashes 1 MiB with each digest a scan uses (SHA-256 for blobs and layers, SHA-1 for Java archives), in 16 KiB
     * updates, both in turn so that the loop's profile holds both. The JVM hashes with its own stubs (SHA instructions
     * where the CPU has them) only in code that C2 compiled, which the launcher's thresholds reach after several MiB
     * hashed by the interpreter and C1, several times slower; with this start, C2 compiles the digests' block loop
     * 0.15 to 0.2 s earlier in a cold jvm-app scan, and the scan takes 0.11 to 0.15 s less wall time and 0.12 to
     * 0.27 s less CPU (bench/README.md).
     */
    private static void hashWithBothDigests() throws NoSuchAlgorithmException {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        byte[] chunk = new byte[16 * 1024];
        for (int i = 0; i < 64; i++) {
            sha256.update(chunk);
            sha1.update(chunk);
        }
    }

    /** Whether everything named was initialised; when not, the run initialises what it needs itself. */
    static boolean initialise() {
        try {
            hashWithBothDigests();
            Class.forName("dev.palisade.source.StructuredText");
            Class.forName("java.math.BigDecimal");
            OsvParser.parse(OSV_RECORD.getBytes(StandardCharsets.UTF_8), "warm-up");
            return true;
        } catch (ClassNotFoundException
                | NoSuchAlgorithmException
                | OsvParser.MalformedRecordException
                | RuntimeException
                | LinkageError e) {
            // never a stack trace from this thread: whatever failed here, the run meets again and reports itself
            return false;
        }
    }
}
