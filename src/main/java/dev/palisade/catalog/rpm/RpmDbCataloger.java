package dev.palisade.catalog.rpm;

import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.Cataloger;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.Package;
import dev.palisade.source.FileEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RPM packages from rpm's database in each of its three formats: SQLite {@code rpmdb.sqlite} (RHEL 9,
 * Fedora, UBI, SUSE 16), Berkeley DB {@code Packages} (RHEL and CentOS 7 and 8, Amazon Linux 2, older
 * SUSE) and NDB {@code Packages.db} (SUSE Linux Enterprise 15, openSUSE Leap). The database alone is
 * copied to a private temporary file (SQLite needs a file; the others are read page by page), read and
 * deleted at once.
 */
public final class RpmDbCataloger implements Cataloger {
    private static final List<String> SQLITE_PATHS =
            List.of("var/lib/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/rpmdb.sqlite");
    private static final String NAME = "rpm-db";
    private static final List<String> BDB_PATHS = List.of("var/lib/rpm/Packages", "usr/lib/sysimage/rpm/Packages");
    private static final List<String> NDB_PATHS =
            List.of("var/lib/rpm/Packages.db", "usr/lib/sysimage/rpm/Packages.db");
    private static final Pattern SOURCE_RPM = Pattern.compile("^(.+)-([^-]+)-([^-]+)\\.(?:no)?src\\.rpm$");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean wants(FileEntry file) {
        return SQLITE_PATHS.contains(file.path()) || BDB_PATHS.contains(file.path()) || NDB_PATHS.contains(file.path());
    }

    @Override
    public List<Package> catalog(FileEntry file, InputStream content, CatalogContext context) throws IOException {
        Path directory = Files.createTempDirectory(
                "palisade-rpmdb-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path db = directory.resolve("rpmdb");
        try {
            Files.copy(content, db, StandardCopyOption.REPLACE_EXISTING);
            if (BDB_PATHS.contains(file.path()) || NDB_PATHS.contains(file.path())) {
                return readBlobs(db, file.path(), context);
            }
            return read(db, file.path(), context);
        } finally {
            try (var leftovers = Files.list(directory)) {
                for (Path leftover : (Iterable<Path>) leftovers::iterator) {
                    Files.deleteIfExists(leftover); // the copy and SQLite's -shm/-wal companions
                }
            }
            Files.deleteIfExists(directory);
        }
    }

    private List<Package> read(Path db, String path, CatalogContext context) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
        List<Package> packages = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db, properties);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT hnum, blob FROM Packages")) {
            while (rows.next()) {
                long hnum = rows.getLong(1);
                byte[] blob = rows.getBytes(2);
                try {
                    toPackage(RpmHeaderParser.parse(blob == null ? new byte[0] : blob), path)
                            .ifPresent(packages::add);
                } catch (IOException e) {
                    context.problem(path, "header " + hnum + " unreadable: " + e.getMessage());
                }
            }
        } catch (SQLException e) {
            // SQLite's result code ([SQLITE_NOTADB]) means nothing to a user; its words do
            throw new IOException(
                    "not a readable rpmdb.sqlite: "
                            + String.valueOf(e.getMessage()).replaceFirst("^\\[SQLITE_[A-Z_]+]\\s*", ""),
                    e);
        }
        return packages;
    }

    private List<Package> readBlobs(Path db, String path, CatalogContext context) throws IOException {
        try (FileChannel channel = FileChannel.open(db, StandardOpenOption.READ)) {
            return readBlobs(channel, path, context);
        }
    }

    /**
     * The Berkeley DB and NDB formats, told apart by {@code path}: every stored value is a header blob, keyed
     * by its instance number. Public for the fuzz tests, which hand it a file in memory. It reads the channel at
     * positions of its own, moving the channel's position: one channel per call.
     */
    public static List<Package> readBlobs(SeekableByteChannel channel, String path, CatalogContext context)
            throws IOException {
        List<Package> packages = new ArrayList<>();
        int[] unreadable = {0};
        String[] firstError = {""};
        Consumer<byte[]> header = blob -> {
            try {
                toPackage(RpmHeaderParser.parse(blob), path).ifPresent(packages::add);
            } catch (IOException e) {
                if (unreadable[0]++ == 0) {
                    firstError[0] = String.valueOf(e.getMessage());
                }
            }
        };
        // a damaged database may have a problem on every item: the first few are said, the rest counted
        int[] damage = new int[1];
        java.util.function.Consumer<String> damaged = reason -> {
            if (damage[0]++ < MAX_PROBLEMS) {
                context.problem(path, reason);
            }
        };
        if (NDB_PATHS.contains(path)) {
            NdbPackages.read(channel, header, damaged);
        } else {
            BerkeleyDbHash.read(
                    channel,
                    entry -> {
                        // rpm keeps its next instance number under key 0
                        if (!isZero(entry.key())) {
                            header.accept(entry.value());
                        }
                    },
                    damaged);
        }
        if (damage[0] > MAX_PROBLEMS) {
            context.problem(path, (damage[0] - MAX_PROBLEMS) + " more damaged parts of the database not listed");
        }
        if (unreadable[0] > 0) {
            context.problem(path, unreadable[0] + " package headers unreadable, the first: " + firstError[0]);
        }
        return packages;
    }

    private static final int MAX_PROBLEMS = 20;

    private static boolean isZero(byte[] key) {
        for (byte b : key) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static java.util.Optional<Package> toPackage(RpmHeaderParser.Header header, String path) {
        String name = header.string(RpmHeaderParser.TAG_NAME);
        String version = header.string(RpmHeaderParser.TAG_VERSION);
        String release = header.string(RpmHeaderParser.TAG_RELEASE);
        if (name.isEmpty() || version.isEmpty() || name.startsWith("gpg-pubkey")) {
            return java.util.Optional.empty();
        }
        String full = release.isEmpty() ? version : version + "-" + release;
        Map<String, String> metadata = new TreeMap<>();
        String arch = header.string(RpmHeaderParser.TAG_ARCH);
        if (!arch.isEmpty()) {
            metadata.put("arch", arch);
        }
        header.integer(RpmHeaderParser.TAG_EPOCH).ifPresent(epoch -> metadata.put("epoch", Integer.toString(epoch)));
        String vendor = header.string(RpmHeaderParser.TAG_VENDOR);
        if (!vendor.isEmpty()) {
            metadata.put("vendor", vendor);
        }
        String modularity = header.string(RpmHeaderParser.TAG_MODULARITYLABEL);
        if (!modularity.isEmpty()) {
            metadata.put("modularityLabel", modularity);
        }
        String sourceName = name;
        String sourceVersion = full;
        Matcher source = SOURCE_RPM.matcher(header.string(RpmHeaderParser.TAG_SOURCERPM));
        if (source.matches()) {
            sourceName = source.group(1);
            sourceVersion = source.group(2) + "-" + source.group(3);
        }
        String license = header.string(RpmHeaderParser.TAG_LICENSE).strip();
        return java.util.Optional.of(new Package(
                Ecosystem.RPM,
                name,
                full,
                "",
                List.of(Location.of(path)),
                sourceName,
                sourceVersion,
                NAME,
                metadata,
                license.isEmpty() ? List.of() : List.of(license)));
    }
}
