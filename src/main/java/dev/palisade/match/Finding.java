package dev.palisade.match;

import dev.palisade.inventory.Package;
import dev.palisade.vulndb.VulnerabilityStore.KevEntry;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One vulnerability in one package: every id the vulnerability goes by (advisories merged by their
 * aliases), how bad it is and from where that rating comes, whether it is known to be exploited, and
 * what to upgrade to.
 *
 * @param id the id shown first: the CVE when there is one
 * @param ids every id of the merged advisories and their aliases, sorted
 * @param advisories the ids of the advisories that matched (the database records)
 * @param related related ids (a Debian advisory's CVEs), not aliases
 * @param severitySource where the severity comes from ({@code CVSS 3.1 GHSA-...}, {@code GHSA label})
 * @param fixedVersions every version an advisory says fixes the installed one's range, sorted
 * @param nearestFix the lowest of them: the smallest upgrade that fixes this finding
 * @param status {@link Status#AFFECTED}, or {@link Status#NOT_COMPARED} with the reason in {@code note}
 */
public record Finding(
        Package pkg,
        String id,
        List<String> ids,
        List<String> advisories,
        List<String> related,
        String title,
        Severity severity,
        String severitySource,
        @Nullable CvssScore cvss,
        @Nullable KevEntry kev,
        List<String> fixedVersions,
        @Nullable String nearestFix,
        List<String> references,
        @Nullable String published,
        Status status,
        String note) {

    public enum Status {
        AFFECTED,
        NOT_COMPARED
    }

    public Finding {
        Objects.requireNonNull(pkg, "pkg");
        Objects.requireNonNull(id, "id");
        ids = List.copyOf(ids);
        advisories = List.copyOf(advisories);
        related = List.copyOf(related);
        fixedVersions = List.copyOf(fixedVersions);
        references = List.copyOf(references);
    }

    /** The same finding for another record of its package (the same package with redacted locations, say). */
    public Finding withPackage(Package other) {
        return new Finding(
                other,
                id,
                ids,
                advisories,
                related,
                title,
                severity,
                severitySource,
                cvss,
                kev,
                fixedVersions,
                nearestFix,
                references,
                published,
                status,
                note);
    }

    public boolean hasFix() {
        return nearestFix != null;
    }

    public Optional<KevEntry> kevEntry() {
        return Optional.ofNullable(kev);
    }

    /** Stable identity for suppressions and diffs: package purl, location and vulnerability id. */
    public String key() {
        return pkg.key() + "|" + id;
    }
}
