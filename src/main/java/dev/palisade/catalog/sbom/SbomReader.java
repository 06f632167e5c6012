package dev.palisade.catalog.sbom;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import dev.palisade.catalog.Purls;
import dev.palisade.inventory.Ecosystem;
import dev.palisade.inventory.Location;
import dev.palisade.inventory.OsRelease;
import dev.palisade.inventory.Package;
import dev.palisade.source.Problem;
import dev.palisade.source.StructuredText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads the packages of an SBOM another tool wrote: CycloneDX JSON (components, nested ones too) or
 * SPDX JSON (packages with a {@code purl} external reference). The purl gives ecosystem, name and
 * version; source packages come from Palisade's and Trivy's properties or the purl's {@code upstream}
 * qualifier; the distribution from an operating-system component or a {@code distro} qualifier.
 */
public final class SbomReader {
    private static final int MAX_DEPTH = 32;

    private static final int MAX_LICENSES = 32;

    private SbomReader() {}

    /** What the document held. */
    public record Contents(String format, @Nullable OsRelease os, List<Package> packages, List<Problem> problems) {
        public Contents {
            packages = List.copyOf(packages);
            problems = List.copyOf(problems);
        }
    }

    /**
     * Reads the document as a stream: each top-level component or package is parsed on its own, so an
     * SBOM of a million components never becomes one tree in memory.
     */
    public static Contents read(String name, byte[] json) throws IOException {
        return read(name, json, Long.MAX_VALUE);
    }

    /** More packages than the reader was allowed to make: the document is not read further. */
    public static final class TooManyPackagesException extends IOException {
        private final long limit;

        TooManyPackagesException(String name, long limit) {
            super(name + " lists more than " + limit + " packages (limit maxEntries)");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    /**
     * As {@link #read(String, byte[])}, stopping with {@link TooManyPackagesException} once more than {@code
     * maxPackages} packages were made (a component, an SPDX package's purls, nested components): a document within
     * the size limit can list a million tiny components.
     */
    public static Contents read(String name, byte[] json, long maxPackages) throws IOException {
        List<Package> packages = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        @Nullable OsRelease[] os = new OsRelease[1];
        String bomFormat = "";
        String specVersion = "";
        String spdxVersion = "";
        boolean cycloneDxComponents = false;
        boolean spdxPackages = false;
        // a list written as something else would otherwise read as an SBOM of nothing
        String malformedComponents = null;
        String malformedPackages = null;
        try (JsonParser parser = StructuredText.jsonParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(
                        name
                                + " is not an SBOM: JSON, but neither a CycloneDX document (bomFormat) nor an SPDX one (spdxVersion)");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("components") && value == JsonToken.START_ARRAY) {
                    cycloneDxComponents = true;
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        JsonNode component = parser.readValueAsTree();
                        cycloneDx(List.of(component), name, packages, problems, os, 0);
                        if (packages.size() > maxPackages) {
                            throw new TooManyPackagesException(name, maxPackages);
                        }
                    }
                } else if (field.equals("packages") && value == JsonToken.START_ARRAY) {
                    spdxPackages = true;
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        JsonNode spdxPackage = parser.readValueAsTree();
                        spdx(List.of(spdxPackage), name, packages, problems, os);
                        if (packages.size() > maxPackages) {
                            throw new TooManyPackagesException(name, maxPackages);
                        }
                    }
                } else if (field.equals("components") && value != JsonToken.VALUE_NULL) {
                    malformedComponents = describe(value);
                    parser.skipChildren();
                } else if (field.equals("packages") && value != JsonToken.VALUE_NULL) {
                    malformedPackages = describe(value);
                    parser.skipChildren();
                } else if (value == JsonToken.VALUE_STRING && field.equals("bomFormat")) {
                    bomFormat = parser.getText();
                } else if (value == JsonToken.VALUE_STRING && field.equals("specVersion")) {
                    specVersion = parser.getText();
                } else if (value == JsonToken.VALUE_STRING && field.equals("spdxVersion")) {
                    spdxVersion = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            var where = e.getLocation();
            String at = where == null || where.getLineNr() < 1
                    ? ""
                    : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
            String what = e instanceof com.fasterxml.jackson.core.io.JsonEOFException
                    ? "the file ends before its JSON document does"
                    : e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException limit
                            ? "the file is beyond the JSON parser's limits, " + StructuredText.limitReason(limit)
                            : "the file is not JSON";
            throw new IOException(
                    name + " is not an SBOM: " + what + at + " (an SBOM is a CycloneDX or SPDX JSON document)", e);
        }
        if ("CycloneDX".equals(bomFormat) && malformedComponents != null) {
            throw new IOException(name + " is not an SBOM Palisade can read: its 'components' is " + malformedComponents
                    + ", not a list");
        }
        if (spdxVersion.startsWith("SPDX-") && malformedPackages != null) {
            throw new IOException(name + " is not an SBOM Palisade can read: its 'packages' is " + malformedPackages
                    + ", not a list");
        }
        String format;
        if ("CycloneDX".equals(bomFormat)) {
            format = "CycloneDX " + specVersion;
            if (spdxPackages) {
                problems.add(new Problem(
                        name, null, "a CycloneDX document with an SPDX 'packages' list: the list was read as SPDX"));
            }
        } else if (spdxVersion.startsWith("SPDX-")) {
            format = spdxVersion;
            if (cycloneDxComponents) {
                problems.add(new Problem(
                        name,
                        null,
                        "an SPDX document with a CycloneDX 'components' list: the list was read as CycloneDX"));
            }
        } else {
            throw new IOException(
                    name
                            + " is not an SBOM: JSON, but neither a CycloneDX document (bomFormat) nor an SPDX one (spdxVersion)");
        }
        if (os[0] == null) {
            os[0] = distroFromPurls(packages, name);
        }
        packages.sort(null);
        return new Contents(format, os[0], packages, problems);
    }

    private static void cycloneDx(
            Iterable<JsonNode> components,
            String name,
            List<Package> packages,
            List<Problem> problems,
            @Nullable OsRelease[] os,
            int depth) {
        if (depth > MAX_DEPTH) {
            problems.add(new Problem(
                    name, null, "components nest deeper than " + MAX_DEPTH + " levels; the rest is not read"));
            return;
        }
        for (JsonNode c : components) {
            if (!c.isObject()) {
                problems.add(
                        new Problem(name, null, "a component that is " + describe(c) + ", not an object; skipped"));
                continue;
            }
            if (c.has("purl") && !c.get("purl").isTextual() && !c.get("purl").isNull()) {
                problems.add(new Problem(
                        name, null, "a component whose purl is " + describe(c.get("purl")) + ", not text; skipped"));
                continue;
            }
            if (c.has("components")
                    && !c.get("components").isArray()
                    && !c.get("components").isNull()) {
                problems.add(new Problem(
                        name,
                        null,
                        "a component whose 'components' is " + describe(c.get("components"))
                                + ", not a list; they are not read"));
            }
            String type = StructuredText.text(c, "type");
            if (type.equals("operating-system") && os[0] == null) {
                os[0] = new OsRelease(
                        StructuredText.text(c, "name").toLowerCase(java.util.Locale.ROOT),
                        StructuredText.text(c, "version"),
                        null,
                        StructuredText.text(c, "description"),
                        null,
                        Location.of(name));
            }
            String purl = StructuredText.text(c, "purl");
            if (!purl.isEmpty()) {
                Map<String, String> properties = new TreeMap<>();
                for (JsonNode p : c.path("properties")) {
                    properties.put(StructuredText.text(p, "name"), StructuredText.text(p, "value"));
                }
                String where = properties.getOrDefault(
                        "palisade:location:0:path", properties.getOrDefault("aquasecurity:trivy:FilePath", name));
                List<String> licenses = cycloneDxLicenses(c.path("licenses"));
                toPackage(purl, where, properties, name, problems)
                        .map(p -> p.withLicenses(licenses))
                        .ifPresent(packages::add);
            }
            if (c.path("components").isArray()) {
                cycloneDx(c.path("components"), name, packages, problems, os, depth + 1);
            }
        }
    }

    /** A CycloneDX component's licences: each licence's id or name, or the expression. */
    private static List<String> cycloneDxLicenses(JsonNode licenses) {
        List<String> out = new ArrayList<>();
        for (JsonNode choice : licenses) {
            String expression = StructuredText.text(choice, "expression");
            String id = StructuredText.text(choice.path("license"), "id");
            String licenseName = StructuredText.text(choice.path("license"), "name");
            String value = !expression.isEmpty() ? expression : !id.isEmpty() ? id : licenseName;
            if (!value.isEmpty() && out.size() < MAX_LICENSES) {
                out.add(value);
            }
        }
        return out;
    }

    private static void spdx(
            Iterable<JsonNode> spdxPackages,
            String name,
            List<Package> packages,
            List<Problem> problems,
            @Nullable OsRelease[] os) {
        for (JsonNode p : spdxPackages) {
            if (!p.isObject()) {
                problems.add(new Problem(name, null, "a package that is " + describe(p) + ", not an object; skipped"));
                continue;
            }
            String purpose = StructuredText.text(p, "primaryPackagePurpose");
            // the SPDX 2.3 schema spells it OPERATING_SYSTEM, the specification's text OPERATING-SYSTEM
            if ((purpose.equals("OPERATING-SYSTEM") || purpose.equals("OPERATING_SYSTEM")) && os[0] == null) {
                os[0] = new OsRelease(
                        StructuredText.text(p, "name").toLowerCase(java.util.Locale.ROOT),
                        StructuredText.text(p, "versionInfo"),
                        null,
                        null,
                        null,
                        Location.of(name));
            }
            for (JsonNode ref : p.path("externalRefs")) {
                if (StructuredText.text(ref, "referenceType").equals("purl")) {
                    String declared = StructuredText.text(p, "licenseDeclared");
                    List<String> licenses =
                            declared.isEmpty() || declared.equals("NOASSERTION") || declared.equals("NONE")
                                    ? List.of()
                                    : List.of(declared);
                    toPackage(StructuredText.text(ref, "referenceLocator"), name, Map.of(), name, problems)
                            .map(pkg -> pkg.withLicenses(licenses))
                            .ifPresent(packages::add);
                }
            }
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "text";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "not a value";
        };
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "a list";
            case STRING -> "text";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> "null";
        };
    }

    static Optional<Package> toPackage(
            String purlText, String where, Map<String, String> properties, String document, List<Problem> problems) {
        PackageURL purl;
        try {
            purl = Purls.parse(purlText);
        } catch (MalformedPackageURLException e) {
            problems.add(new Problem(document, null, "invalid purl '" + purlText + "': " + e.getMessage()));
            return Optional.empty();
        }
        Optional<Ecosystem> ecosystem = Ecosystem.fromPurlType(purl.getType());
        if (ecosystem.isEmpty()) {
            return Optional.empty(); // types Palisade has no advisories for (generic, oci, github...)
        }
        Map<String, String> qualifiers = purl.getQualifiers() == null ? Map.of() : purl.getQualifiers();
        String namespace = purl.getNamespace();
        String name =
                switch (ecosystem.get()) {
                    case MAVEN -> namespace == null ? purl.getName() : namespace + ":" + purl.getName();
                    case NPM, COMPOSER, GO -> namespace == null ? purl.getName() : namespace + "/" + purl.getName();
                    default -> purl.getName();
                };
        // a component without a version is kept: matching reports its advisories as not compared
        String version = purl.getVersion() == null ? "" : purl.getVersion();
        Map<String, String> metadata = new TreeMap<>();
        if (qualifiers.containsKey("arch")) {
            metadata.put("arch", qualifiers.get("arch"));
        }
        String epoch = qualifiers.get("epoch");
        if (epoch != null && ecosystem.get() == Ecosystem.DEBIAN && !version.contains(":")) {
            version = epoch + ":" + version;
        } else if (epoch != null) {
            metadata.put("epoch", epoch);
        }
        String sourceName = first(properties.get("palisade:sourceName"), properties.get("aquasecurity:trivy:SrcName"));
        String sourceVersion = properties.get("palisade:sourceVersion");
        if (sourceVersion == null && properties.get("aquasecurity:trivy:SrcVersion") != null) {
            String srcEpoch = properties.get("aquasecurity:trivy:SrcEpoch");
            String release = properties.get("aquasecurity:trivy:SrcRelease");
            sourceVersion = (srcEpoch != null && !srcEpoch.equals("0") ? srcEpoch + ":" : "")
                    + properties.get("aquasecurity:trivy:SrcVersion")
                    + (release != null && !release.isEmpty() ? "-" + release : "");
        }
        String upstream = qualifiers.get("upstream");
        if (sourceName == null && upstream != null) {
            int at = upstream.indexOf('@');
            sourceName = at < 0 ? upstream : upstream.substring(0, at);
            if (at >= 0 && sourceVersion == null) {
                sourceVersion = upstream.substring(at + 1);
            }
        }
        if (ecosystem.get().isOperatingSystem()) {
            sourceName = sourceName == null ? name : sourceName;
            sourceVersion = sourceVersion == null ? version : sourceVersion;
        }
        metadata.put("sbomDocument", document);
        return Optional.of(new Package(
                ecosystem.get(),
                name,
                version,
                Purls.canonical(purl),
                List.of(Location.of(where)),
                sourceName,
                sourceVersion,
                "sbom",
                metadata));
    }

    private static @Nullable OsRelease distroFromPurls(List<Package> packages, String name) {
        for (Package p : packages) {
            if (!p.ecosystem().isOperatingSystem()) {
                continue;
            }
            try {
                Map<String, String> q = Purls.parse(p.purl()).getQualifiers();
                String distro = q == null ? null : q.get("distro");
                if (distro != null && distro.contains("-")) {
                    int dash = distro.indexOf('-');
                    return new OsRelease(
                            distro.substring(0, dash), distro.substring(dash + 1), null, null, null, Location.of(name));
                }
            } catch (MalformedPackageURLException e) {
                // already reported when the package was read
            }
        }
        return null;
    }

    private static @Nullable String first(@Nullable String a, @Nullable String b) {
        return a != null && !a.isEmpty() ? a : b;
    }
}
