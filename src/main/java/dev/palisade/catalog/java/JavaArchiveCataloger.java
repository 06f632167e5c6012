package dev.palisade.catalog.java;

import dev.palisade.catalog.CatalogContext;
import dev.palisade.catalog.Cataloger;
import dev.palisade.catalog.ContentBytes;
import dev.palisade.catalog.Purls;
import dev.palisade.catalog.java.ZipCentralDirectory.Member;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.Package;
import dev.palisade.source.ArtifactLimitException;
import dev.palisade.source.Deadline;
import dev.palisade.source.FileEntry;
import dev.palisade.source.LimitExceededException;
import dev.palisade.source.LimitedInputStream;
import dev.palisade.source.TimeLimitException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Java archives (JAR, WAR, EAR and their kin), including archives nested inside them (Spring Boot
 * {@code BOOT-INF/lib}, {@code WEB-INF/lib}, EAR modules). Coordinates come from
 * {@code META-INF/maven/**&#47;pom.properties} first (a shaded jar yields one package per file), then
 * from the manifest and the file name, with the groupId of well-known families from
 * {@link KnownMavenGroups}. Each archive's SHA-1 is recorded. Archives are read by their central
 * directory, within the limits, in memory up to a few MiB and beyond from a spool file ({@link ArchiveSpool});
 * nesting is bounded by {@code maxArchiveDepth}.
 */
public final class JavaArchiveCataloger implements Cataloger {
    /** How much of a nested member's announced size is allocated before its bytes arrive. */
    static final long CLAIMED_SIZE_TRUSTED = 1024 * 1024;

    private static final String MAVEN_DIRECTORY = "META-INF/maven/";
    private static final String POM_PROPERTIES = "/pom.properties";
    private static final Pattern ARTIFACT_LIKE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final long SMALL_MEMBER = 1024 * 1024;
    /** Nested archives of one top-level archive may inflate this many times {@code maxFileBytes} in all. */
    private static final long NESTED_BUDGET_FILES = 4;

    private final KnownMavenGroups knownGroups;
    private final ArchiveSpool spool;
    /**
     * One pom reader per thread for all the archives of a scan: setting an XML parser up for each archive cost more
     * than parsing its poms (hundreds of jars in an image).
     */
    private final ThreadLocal<PomLicenses> licenses = ThreadLocal.withInitial(PomLicenses::new);

    public JavaArchiveCataloger(KnownMavenGroups knownGroups) {
        this(knownGroups, ArchiveSpool.inTemporaryDirectory());
    }

    JavaArchiveCataloger(KnownMavenGroups knownGroups, ArchiveSpool spool) {
        this.knownGroups = knownGroups;
        this.spool = spool;
    }

    @Override
    public String name() {
        return "java-archive";
    }

    @Override
    public boolean wants(FileEntry file) {
        return JarFileName.isJavaArchive(file.name());
    }

    @Override
    public List<Package> catalog(FileEntry file, InputStream content, CatalogContext context) throws IOException {
        List<Package> packages = new ArrayList<>();
        try (ArchiveBytes bytes = ArchiveBytes.read(
                content, file.size(), context.limits().maxFileBytes(), Long.MAX_VALUE, file.path(), spool)) {
            InflationBudget budget = new InflationBudget(
                    Math.min(
                            context.limits().maxFileBytes() * NESTED_BUDGET_FILES,
                            context.limits().maxTotalBytes()),
                    context.limits().deadline(),
                    spool);
            try {
                parseArchive(bytes, file.path(), 1, budget, licenses.get(), packages, context);
            } catch (TimeLimitException e) {
                // the scan's --timeout ran out in a nested archive: what this archive showed so far is kept, the
                // rest of its nested archives is left, and the scan stops at its next file
                context.problem(file.path(), "its nested archives were not all read: " + e.getMessage());
            }
        }
        return packages;
    }

    /**
     * What one top-level archive may inflate, its members and its nested archives' together. Every byte
     * inflated counts, also those of a member refused for its size, so that many refused members
     * cannot each cost a file's worth of work.
     */
    private static final class InflationBudget {
        private final long total;
        private final Deadline deadline;
        private final ArchiveSpool spool;
        private long remaining;

        InflationBudget(long total, Deadline deadline, ArchiveSpool spool) {
            this.total = total;
            this.remaining = total;
            this.deadline = deadline;
            this.spool = spool;
        }

        /** The member's content, read within {@code limit} and what is left of the budget. */
        byte[] read(ZipCentralDirectory zip, Member entry, long limit, String what) throws IOException {
            // the size the central directory gives sizes the array up to 1 MiB (beyond, it grows as data comes:
            // the claim costs nothing until it is backed by bytes); what is read is what counts
            return read(
                    zip,
                    entry,
                    limit,
                    what,
                    (in, bound, described) ->
                            ContentBytes.read(in, entry.size(), bound, CLAIMED_SIZE_TRUSTED, described));
        }

        /** As {@link #read(ZipCentralDirectory, Member, long, String)}, large content in a spool file. */
        ArchiveBytes readArchive(ZipCentralDirectory zip, Member entry, long limit, String what) throws IOException {
            return read(
                    zip,
                    entry,
                    limit,
                    what,
                    (in, bound, described) ->
                            ArchiveBytes.read(in, entry.size(), bound, CLAIMED_SIZE_TRUSTED, described, spool));
        }

        private <T> T read(ZipCentralDirectory zip, Member entry, long limit, String what, BoundedRead<T> reader)
                throws IOException {
            if (!entry.readable()) {
                throw new IOException(what + " " + entry.whyUnreadable());
            }
            if (remaining <= 0) {
                throw new LimitExceededException(
                        what + " not read: the nested-archive budget of " + total + " bytes per archive is used up");
            }
            long bound = Math.min(limit, remaining);
            String reason = bound < limit ? " (nested-archive budget of " + total + " bytes per archive)" : "";
            try (LimitedInputStream in =
                    LimitedInputStream.withDeadline(zip.open(entry), Long.MAX_VALUE, what, deadline)) {
                try {
                    return reader.read(in, bound, what + reason);
                } finally {
                    remaining -= in.count();
                }
            }
        }

        /**
         * Counts a member of {@code size} bytes, used where it lies in the archive, as read; false (and
         * nothing counted) when it is larger than {@code limit} or than what is left, for the caller to
         * take the path that reports why.
         */
        boolean take(long size, long limit) {
            if (size > Math.min(limit, remaining)) {
                return false;
            }
            remaining -= size;
            return true;
        }

        boolean exhausted() {
            return remaining <= 0;
        }
    }

    /** Reads a member's content within a bound; {@code what} names it in a message. */
    private interface BoundedRead<T> {
        T read(InputStream in, long bound, String what) throws IOException;
    }

    /** The archive in {@code bytes}, and the archives nested in it. */
    private void parseArchive(
            ArchiveBytes bytes,
            String path,
            int depth,
            InflationBudget budget,
            PomLicenses licenses,
            List<Package> out,
            CatalogContext context)
            throws IOException {
        String sha1 = bytes.sha1();
        ZipCentralDirectory zip;
        try {
            zip = ZipCentralDirectory.read(bytes);
        } catch (IOException e) {
            throw new IOException("not a valid zip (no readable central directory)", e);
        }
        if (zip.overlappingCount() > 0) {
            context.problem(
                    path,
                    zip.overlappingCount() + " entries share or overlap their data with another entry (the"
                            + " trick of a zip bomb), the first " + zip.firstOverlapping()
                            + "; those entries were not read");
        }
        List<Member> described = new ArrayList<>();
        List<Member> nested = new ArrayList<>();
        pick(zip, described, nested);
        List<Package> fromPoms = new ArrayList<>();
        Manifest manifest = null;
        for (Member entry : described) {
            // members that inflate to nothing never reach the byte streams' own checks
            context.limits().deadline().check(path + "!/" + entry.name());
            if (isPomProperties(entry.name())) {
                readPomProperties(zip, entry, path, budget, licenses, context).ifPresent(fromPoms::add);
            } else {
                manifest = readManifest(zip, entry, path, budget, context);
            }
        }
        identify(path, sha1, fromPoms, manifest, out, context);
        for (int i = 0; i < nested.size(); i++) {
            Member entry = nested.get(i);
            String nestedPath = path + "!/" + entry.name();
            // stored and small members never pass the 256 KiB between the byte streams' own checks
            context.limits().deadline().check(nestedPath);
            if (budget.exhausted()) {
                context.problem(
                        nestedPath,
                        "the nested-archive budget of " + budget.total + " bytes per archive is used up; this and "
                                + (nested.size() - i - 1) + " more nested archives of " + path + " were not read");
                return;
            }
            if (depth >= context.limits().maxArchiveDepth()) {
                context.problem(
                        nestedPath,
                        "archive nested deeper than " + context.limits().maxArchiveDepth()
                                + " levels (limit maxArchiveDepth); not read");
                continue;
            }
            if (!entry.readable()) {
                context.problem(nestedPath, entry.whyUnreadable() + "; not read");
                continue;
            }
            long stored = zip.storedAt(entry);
            if (stored >= 0 && budget.take(entry.size(), context.limits().maxFileBytes())) {
                try {
                    parseArchive(
                            bytes.slice(stored, entry.size()), nestedPath, depth + 1, budget, licenses, out, context);
                } catch (ArtifactLimitException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    context.problem(nestedPath, "not a readable archive: " + e.getMessage());
                }
                continue;
            }
            ArchiveBytes inner;
            try {
                inner = budget.readArchive(
                        zip, entry, context.limits().maxFileBytes(), nestedPath + " (limit maxFileBytes)");
            } catch (ArtifactLimitException e) {
                throw e;
            } catch (LimitExceededException e) {
                context.problem(nestedPath, e.getMessage() + "; not read");
                continue;
            } catch (IOException | RuntimeException e) {
                context.problem(nestedPath, "cannot be read: " + e.getMessage());
                continue;
            }
            try (ArchiveBytes read = inner) {
                parseArchive(read, nestedPath, depth + 1, budget, licenses, out, context);
            } catch (ArtifactLimitException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                context.problem(nestedPath, "not a readable archive: " + e.getMessage());
            }
        }
    }

    /**
     * Picks out of the members the directory kept, in order, the ones that describe the archive ({@code
     * pom.properties} and the manifest) and the nested archives, leaving those that share their data with another.
     * A loop of its own, apart from the reading: an archive of tens of thousands of entries makes the JIT compile
     * the loop while it runs (on-stack replacement), and compiling it with the readers and XML parsing inlined took
     * more CPU than the whole loop.
     */
    private static void pick(ZipCentralDirectory zip, List<Member> described, List<Member> nested) {
        for (Member entry : zip.wanted()) {
            if (zip.overlaps(entry)) {
                continue;
            }
            String name = entry.name();
            if (isPomProperties(name) || name.equals("META-INF/MANIFEST.MF")) {
                described.add(entry);
            } else if (JarFileName.isJavaArchive(name)) {
                nested.add(entry);
            }
        }
    }

    static boolean isPomProperties(String name) {
        if (!name.startsWith(MAVEN_DIRECTORY) || !name.endsWith(POM_PROPERTIES)) {
            return false;
        }
        // META-INF/maven/<groupId>/<artifactId>/pom.properties: two non-empty names between
        int groupEnd = name.indexOf('/', MAVEN_DIRECTORY.length());
        int artifactEnd = name.length() - POM_PROPERTIES.length();
        return groupEnd > MAVEN_DIRECTORY.length()
                && groupEnd < artifactEnd - 1
                && name.indexOf('/', groupEnd + 1) == artifactEnd;
    }

    private void identify(
            String path,
            String sha1,
            List<Package> fromPoms,
            @Nullable Manifest manifest,
            List<Package> out,
            CatalogContext context) {
        String fileName = path.substring(path.lastIndexOf('/') + 1);
        JarFileName fromName = JarFileName.parse(fileName);
        Package main = null;
        if (fromPoms.size() == 1) {
            main = fromPoms.get(0);
        } else {
            for (Package p : fromPoms) {
                if (fromName.artifactId().equals(p.metadata().get("artifactId"))) {
                    main = p;
                }
            }
        }
        for (Package p : fromPoms) {
            if (p == main) {
                out.add(p.withMetadata(Map.of("sha1", sha1)));
            } else {
                out.add(p.withMetadata(Map.of("embeddedIn", path)));
            }
        }
        if (main != null) {
            return;
        }
        Optional<Package> fromManifest = fromManifestAndName(path, fromName, manifest, sha1);
        if (fromManifest.isPresent()) {
            boolean duplicate = fromPoms.stream()
                    .anyMatch(p -> p.purl().equals(fromManifest.get().purl()));
            if (!duplicate) {
                out.add(fromManifest.get());
            }
        } else if (fromPoms.isEmpty()) {
            context.problem(
                    path,
                    "Java archive with no pom.properties, no version in its manifest and none in its file name; not identified");
        }
    }

    /** {@code groupId}, or none when a manifest or path made one the purl builder would refuse. */
    private static String purlSafe(String groupId, String artifactId) {
        return Purls.isMavenCoordinate(groupId, artifactId) ? groupId : "";
    }

    private Optional<Package> fromManifestAndName(
            String path, JarFileName fromName, @Nullable Manifest manifest, String sha1) {
        Attributes main = manifest == null ? new Attributes() : manifest.getMainAttributes();
        String title = attribute(main, "Implementation-Title");
        String implementationVersion = attribute(main, "Implementation-Version");
        String bundleName = attribute(main, "Bundle-SymbolicName");
        int semicolon = bundleName.indexOf(';');
        if (semicolon >= 0) {
            bundleName = bundleName.substring(0, semicolon).strip();
        }
        List<String> evidence = new ArrayList<>();
        String artifactId = fromName.artifactId();
        if (!fromName.version().isEmpty()) {
            evidence.add("file-name");
        } else if (ARTIFACT_LIKE.matcher(title).matches()) {
            artifactId = title;
            evidence.add("manifest");
        }
        String version;
        if (!implementationVersion.isEmpty() && (fromName.version().isEmpty() || title.equals(artifactId))) {
            version = implementationVersion;
            if (!evidence.contains("manifest")) {
                evidence.add("manifest");
            }
        } else if (!fromName.version().isEmpty()) {
            version = fromName.version();
        } else {
            version = firstNonEmpty(attribute(main, "Bundle-Version"), attribute(main, "Specification-Version"));
            evidence.add("manifest");
        }
        if (version.isEmpty() || artifactId.isEmpty()) {
            return Optional.empty();
        }
        String groupId = knownGroups.groupOf(artifactId).orElse("");
        if (!groupId.isEmpty()) {
            evidence.add("known-group");
        } else {
            groupId = purlSafe(groupFromRepositoryLayout(path, artifactId, version), artifactId);
            if (!groupId.isEmpty()) {
                evidence.add("repository-layout");
            } else {
                groupId = purlSafe(
                        guessGroup(artifactId, bundleName, attribute(main, "Implementation-Vendor-Id")), artifactId);
                if (!groupId.isEmpty()) {
                    evidence.add("manifest-group-guess");
                } else {
                    // Maven purls need a namespace; many old artifacts use their own name as their group
                    groupId = artifactId;
                    evidence.add("group-assumed-equal-to-artifactId");
                }
            }
        }
        Map<String, String> metadata = new TreeMap<>();
        metadata.put("sha1", sha1);
        metadata.put("identifiedBy", String.join("+", evidence));
        if (!groupId.isEmpty()) {
            metadata.put("groupId", groupId);
        }
        metadata.put("artifactId", artifactId);
        String name = groupId.isEmpty() ? artifactId : groupId + ":" + artifactId;
        return Optional.of(new Package(
                Ecosystem.MAVEN,
                name,
                version,
                Purls.of(Ecosystem.MAVEN, groupId, artifactId, version),
                List.of(Location.of(path)),
                null,
                null,
                name(),
                metadata));
    }

    /**
     * The groupId a Maven repository layout gives ({@code .../repository/org/foo/bar/1.0/bar-1.0.jar}
     * is {@code org.foo}), for jars that sit in a local repository or a copy of one.
     */
    static String groupFromRepositoryLayout(String path, String artifactId, String version) {
        if (path.contains("!/")) {
            return "";
        }
        String[] parts = path.split("/");
        int n = parts.length;
        int repository = -1;
        for (int i = n - 1; i >= 0; i--) {
            if (parts[i].equals("repository")) {
                repository = i;
                break;
            }
        }
        if (repository < 0 || n - repository < 5 || !parts[n - 2].equals(version) || !parts[n - 3].equals(artifactId)) {
            return "";
        }
        return String.join(".", java.util.Arrays.copyOfRange(parts, repository + 1, n - 3));
    }

    /** A groupId from OSGi or manifest headers, for jars outside the known families. */
    static String guessGroup(String artifactId, String bundleName, String vendorId) {
        if (bundleName.endsWith("." + artifactId) && bundleName.length() > artifactId.length() + 1) {
            return bundleName.substring(0, bundleName.length() - artifactId.length() - 1);
        }
        int lastDot = bundleName.lastIndexOf('.');
        if (lastDot > 0 && bundleName.indexOf('.') < lastDot) {
            return bundleName.substring(0, lastDot);
        }
        return vendorId.contains(".") ? vendorId : "";
    }

    private Optional<Package> readPomProperties(
            ZipCentralDirectory zip,
            Member entry,
            String path,
            InflationBudget budget,
            PomLicenses licenses,
            CatalogContext context) {
        String where = path + "!/" + entry.name();
        try {
            byte[] bytes = budget.read(zip, entry, SMALL_MEMBER, where);
            Properties properties = new Properties();
            properties.load(new java.io.StringReader(new String(bytes, StandardCharsets.ISO_8859_1)));
            String groupId = properties.getProperty("groupId", "").strip();
            String artifactId = properties.getProperty("artifactId", "").strip();
            String version = properties.getProperty("version", "").strip();
            if (groupId.isEmpty() || artifactId.isEmpty() || version.isEmpty()) {
                context.problem(where, "pom.properties lacks groupId, artifactId or version; ignored");
                return Optional.empty();
            }
            if (!Purls.isMavenCoordinate(groupId, artifactId)) {
                context.problem(
                        where,
                        "pom.properties names " + groupId + ":" + artifactId
                                + ", which makes no Package URL (an empty segment between slashes); ignored");
                return Optional.empty();
            }
            Map<String, String> metadata = new TreeMap<>();
            metadata.put("identifiedBy", "pom.properties");
            metadata.put("groupId", groupId);
            metadata.put("artifactId", artifactId);
            metadata.put("pomProperties", entry.name());
            return Optional.of(new Package(
                    Ecosystem.MAVEN,
                    groupId + ":" + artifactId,
                    version,
                    Purls.of(Ecosystem.MAVEN, groupId, artifactId, version),
                    List.of(Location.of(path)),
                    null,
                    null,
                    name(),
                    metadata,
                    pomLicenses(zip, entry, path, budget, licenses, context)));
        } catch (IOException | RuntimeException e) {
            context.problem(where, "cannot be read: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The licences of the {@code pom.xml} beside a {@code pom.properties}, if the archive has one. */
    private static List<String> pomLicenses(
            ZipCentralDirectory zip,
            Member properties,
            String path,
            InflationBudget budget,
            PomLicenses licenses,
            CatalogContext context) {
        String pomName =
                properties.name().substring(0, properties.name().length() - "pom.properties".length()) + "pom.xml";
        Member pom = zip.pom(pomName);
        if (pom == null || zip.overlaps(pom) || !pom.readable()) {
            return List.of();
        }
        String where = path + "!/" + pomName;
        try {
            return licenses.read(budget.read(zip, pom, SMALL_MEMBER, where));
        } catch (IOException | RuntimeException e) {
            context.problem(where, "licences not read: " + e.getMessage());
            return List.of();
        }
    }

    private static @Nullable Manifest readManifest(
            ZipCentralDirectory zip, Member entry, String path, InflationBudget budget, CatalogContext context) {
        String where = path + "!/" + entry.name();
        try {
            byte[] bytes = budget.read(zip, entry, SMALL_MEMBER, where);
            return new Manifest(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            context.problem(where, "cannot be read: " + e.getMessage());
            return null;
        }
    }

    private static String attribute(Attributes attributes, String name) {
        String value = attributes.getValue(name);
        return value == null ? "" : value.strip();
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (!v.isEmpty()) {
                return v;
            }
        }
        return "";
    }
}
