package dev.palisade.scan;

import dev.palisade.catalog.CatalogRunner;
import dev.palisade.checks.CheckMetadata;
import dev.palisade.checks.Misconfiguration;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.OsRelease;
import dev.palisade.inventory.Package;
import dev.palisade.match.Severity;
import dev.palisade.source.FileKind;
import dev.palisade.source.Problem;
import dev.palisade.source.RawEntry;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The on-disk form of a {@link LayerCache.Entry}: a compact binary record read field by field, since a
 * warm scan reads back thousands of entries per layer before its JIT has compiled anything. It starts with
 * a magic number, the {@link LayerCache#FORMAT format} and the entry's own key, and ends with a marker;
 * anything else (an entry of another format, cut short, or filed under another key) fails to read.
 */
final class LayerCacheFormat {
    /** "PLCE": Palisade layer cache entry. */
    static final int MAGIC = 0x504C4345;

    private static final int END = 0x454E4421; // "END!"
    /** Characters per modified-UTF-8 piece: at most three bytes each, within writeUTF's 65535. */
    private static final int PIECE = 65535 / 3;

    private static final int MAX_COUNT = 50_000_000;
    /** Paths, link targets, metadata values and messages are far shorter. */
    private static final int MAX_STRING = 1024 * 1024;

    private LayerCacheFormat() {}

    static void write(DataOutputStream out, String key, LayerCache.Entry entry) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(LayerCache.FORMAT);
        string(out, key);
        out.writeInt(entry.entries().size());
        for (RawEntry raw : entry.entries()) {
            string(out, raw.name());
            string(out, raw.kind().name());
            out.writeLong(raw.size());
            out.writeInt(raw.mode());
            out.writeLong(raw.uid());
            out.writeLong(raw.gid());
            string(out, raw.linkTarget());
        }
        out.writeInt(entry.files().size());
        for (CatalogRunner.FileFinding file : entry.files()) {
            string(out, file.path());
            out.writeInt(file.packages().size());
            for (Package found : file.packages()) {
                write(out, found);
            }
            OsRelease os = file.os();
            out.writeBoolean(os != null);
            if (os != null) {
                string(out, os.id());
                string(out, os.versionId());
                string(out, os.codename());
                string(out, os.prettyName());
                string(out, os.idLike());
                write(out, os.location());
            }
        }
        out.writeInt(entry.problems().size());
        for (Problem problem : entry.problems()) {
            string(out, problem.path());
            string(out, problem.layer());
            string(out, problem.reason());
        }
        out.writeInt(entry.secrets().size());
        for (Map.Entry<String, List<Misconfiguration>> file : entry.secrets().entrySet()) {
            string(out, file.getKey());
            out.writeInt(file.getValue().size());
            for (Misconfiguration found : file.getValue()) {
                write(out, found);
            }
        }
        out.writeInt(END);
    }

    /**
     * The entry filed under {@code key}; fails on anything but a complete entry of this format and key.
     * Runtime exceptions (an unknown kind or ecosystem, a value a record refuses) are the caller's to
     * treat as unreadable too.
     */
    static LayerCache.Entry read(DataInputStream in, String key) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a layer cache entry");
        }
        int format = in.readInt();
        if (format != LayerCache.FORMAT) {
            throw new IOException("layer cache entry of format " + format + ", not " + LayerCache.FORMAT);
        }
        if (!key.equals(string(in))) {
            throw new IOException("layer cache entry filed under another key");
        }
        int count = count(in);
        List<RawEntry> entries = new ArrayList<>(Math.min(count, 4096));
        for (int i = 0; i < count; i++) {
            entries.add(new RawEntry(
                    string(in),
                    FileKind.valueOf(string(in)),
                    in.readLong(),
                    in.readInt(),
                    in.readLong(),
                    in.readLong(),
                    nullableString(in)));
        }
        count = count(in);
        List<CatalogRunner.FileFinding> files = new ArrayList<>(Math.min(count, 4096));
        for (int i = 0; i < count; i++) {
            String path = string(in);
            int packageCount = count(in);
            List<Package> packages = new ArrayList<>(Math.min(packageCount, 4096));
            for (int p = 0; p < packageCount; p++) {
                packages.add(readPackage(in));
            }
            OsRelease os = null;
            if (in.readBoolean()) {
                os = new OsRelease(
                        string(in),
                        string(in),
                        nullableString(in),
                        nullableString(in),
                        nullableString(in),
                        readLocation(in));
            }
            files.add(new CatalogRunner.FileFinding(path, packages, os));
        }
        count = count(in);
        List<Problem> problems = new ArrayList<>(Math.min(count, 4096));
        for (int i = 0; i < count; i++) {
            problems.add(new Problem(string(in), nullableString(in), string(in)));
        }
        count = count(in);
        Map<String, List<Misconfiguration>> secrets = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String path = string(in);
            int found = count(in);
            List<Misconfiguration> inFile = new ArrayList<>(Math.min(found, 64));
            for (int f = 0; f < found; f++) {
                inFile.add(readMisconfiguration(in));
            }
            secrets.put(path, inFile);
        }
        if (in.readInt() != END || in.read() != -1) {
            throw new IOException("layer cache entry is damaged (no end marker)");
        }
        return new LayerCache.Entry(entries, files, problems, secrets);
    }

    private static void write(DataOutputStream out, Package found) throws IOException {
        string(out, found.ecosystem().name());
        string(out, found.name());
        string(out, found.version());
        string(out, found.purl());
        out.writeInt(found.locations().size());
        for (Location location : found.locations()) {
            write(out, location);
        }
        string(out, found.sourceName());
        string(out, found.sourceVersion());
        string(out, found.foundBy());
        out.writeInt(found.metadata().size());
        for (Map.Entry<String, String> field : found.metadata().entrySet()) {
            string(out, field.getKey());
            string(out, field.getValue());
        }
        strings(out, found.licenses());
    }

    private static Package readPackage(DataInputStream in) throws IOException {
        Ecosystem ecosystem = Ecosystem.valueOf(string(in));
        String name = string(in);
        String version = string(in);
        String purl = string(in);
        int count = count(in);
        List<Location> locations = new ArrayList<>(Math.min(count, 64));
        for (int i = 0; i < count; i++) {
            locations.add(readLocation(in));
        }
        String sourceName = nullableString(in);
        String sourceVersion = nullableString(in);
        String foundBy = string(in);
        count = count(in);
        Map<String, String> metadata = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            metadata.put(string(in), nullableString(in));
        }
        List<String> licenses = readStrings(in);
        return new Package(
                ecosystem, name, version, purl, locations, sourceName, sourceVersion, foundBy, metadata, licenses);
    }

    private static void write(DataOutputStream out, Misconfiguration found) throws IOException {
        CheckMetadata check = found.check();
        string(out, check.id());
        string(out, check.title());
        string(out, check.severity().name());
        out.writeInt(check.models().size());
        for (CheckMetadata.Model model : check.models()) {
            string(out, model.name());
        }
        string(out, check.why());
        string(out, check.fix());
        strings(out, check.references());
        strings(out, check.benchmarks());
        string(out, found.path());
        out.writeInt(found.line());
        string(out, found.keyPath());
        string(out, found.layer());
        string(out, found.message());
    }

    private static Misconfiguration readMisconfiguration(DataInputStream in) throws IOException {
        String id = string(in);
        String title = string(in);
        Severity severity = Severity.valueOf(string(in));
        int count = count(in);
        Set<CheckMetadata.Model> models = new HashSet<>();
        for (int i = 0; i < count; i++) {
            models.add(CheckMetadata.Model.valueOf(string(in)));
        }
        CheckMetadata check = new CheckMetadata(
                id, title, severity, models, string(in), string(in), readStrings(in), new HashSet<>(readStrings(in)));
        return new Misconfiguration(check, string(in), in.readInt(), string(in), nullableString(in), string(in));
    }

    private static void strings(DataOutputStream out, java.util.Collection<String> values) throws IOException {
        out.writeInt(values.size());
        for (String value : values) {
            string(out, value);
        }
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
        int count = count(in);
        List<String> values = new ArrayList<>(Math.min(count, 64));
        for (int i = 0; i < count; i++) {
            values.add(string(in));
        }
        return values;
    }

    private static void write(DataOutputStream out, Location location) throws IOException {
        string(out, location.path());
        string(out, location.layerDiffId());
        string(out, location.layerCreatedBy());
    }

    private static Location readLocation(DataInputStream in) throws IOException {
        return new Location(string(in), nullableString(in), nullableString(in));
    }

    private static int count(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_COUNT) {
            throw new IOException("layer cache entry is damaged (a count of " + count + ")");
        }
        return count;
    }

    /** Its length in chars (-1 for null), then modified-UTF-8 pieces: lossless for any Java string. */
    private static void string(DataOutputStream out, @Nullable String text) throws IOException {
        if (text == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(text.length());
        if (text.length() <= PIECE) {
            out.writeUTF(text);
            return;
        }
        for (int i = 0; i < text.length(); i += PIECE) {
            out.writeUTF(text.substring(i, Math.min(text.length(), i + PIECE)));
        }
    }

    private static String string(DataInputStream in) throws IOException {
        String text = nullableString(in);
        if (text == null) {
            throw new IOException("layer cache entry is damaged (a missing value)");
        }
        return text;
    }

    private static @Nullable String nullableString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > MAX_STRING) {
            throw new IOException("layer cache entry is damaged (a string of " + length + " chars)");
        }
        if (length <= PIECE) {
            String text = in.readUTF();
            if (text.length() != length) {
                throw new IOException("layer cache entry is damaged (a string of the wrong length)");
            }
            return text;
        }
        StringBuilder text = new StringBuilder(PIECE); // grows as pieces arrive: a damaged length allocates nothing
        while (text.length() < length) {
            String piece = in.readUTF();
            if (piece.isEmpty() || text.length() + piece.length() > length) {
                throw new IOException("layer cache entry is damaged (a string of the wrong length)");
            }
            text.append(piece);
        }
        return text.toString();
    }
}
