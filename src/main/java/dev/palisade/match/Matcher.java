package dev.palisade.match;

import dev.palisade.inventory.Inventory;
import dev.palisade.inventory.Package;
import dev.palisade.source.Deadline;
import dev.palisade.source.Problem;
import dev.palisade.vulndb.Advisory;
import dev.palisade.vulndb.PackageNames;
import dev.palisade.vulndb.VulnerabilityStore;
import dev.palisade.vulndb.VulnerabilityStore.KevEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Matches an inventory against the vulnerability database: every package is looked up by its OSV
 * ecosystem and name, each advisory's affected entries are evaluated with the ecosystem's version
 * scheme, and advisories that are the same vulnerability (shared ids or aliases) become one finding.
 * A version that cannot be compared is reported as such, never as "not affected".
 */
public final class Matcher {
    private final VulnerabilityStore store;

    public Matcher(VulnerabilityStore store) {
        this.store = store;
    }

    /** Findings, sorted by what to fix first, and the packages that could not be matched. */
    public record Result(List<Finding> findings, List<Problem> problems) {
        public Result {
            findings = List.copyOf(findings);
            problems = List.copyOf(problems);
        }
    }

    /** The order findings are fixed in: known exploited first, then severity, then those with a fix. */
    public static final Comparator<Finding> FIX_FIRST = Comparator.comparing((Finding f) -> f.kev() == null)
            .thenComparing(Finding::severity)
            .thenComparing(f -> !f.hasFix())
            .thenComparing(f -> f.pkg().name())
            .thenComparing(f -> f.pkg().version())
            .thenComparing(Finding::id)
            .thenComparing(f -> f.pkg().locations().isEmpty()
                    ? ""
                    : f.pkg().locations().get(0).path());

    public Result match(Inventory inventory) throws IOException {
        return match(inventory, Deadline.none());
    }

    /** Matches until {@code deadline}; packages left when it passes are counted in a problem, never taken as clean. */
    public Result match(Inventory inventory, Deadline deadline) throws IOException {
        List<Finding> findings = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Set<String> unmatchable = new TreeSet<>();
        int done = 0;
        for (Package p : inventory.packages()) {
            if (deadline.expired()) {
                problems.add(new Problem(
                        inventory.artifact().name(),
                        null,
                        (inventory.packages().size() - done) + " packages not matched: the scan reached its timeout of "
                                + deadline.budget().toSeconds() + "s (--timeout)"));
                break;
            }
            done++;
            StringBuilder reason = new StringBuilder();
            Optional<OsvTarget> target = OsvTarget.of(p, inventory.os(), reason);
            if (target.isEmpty()) {
                unmatchable.add(reason.toString());
                continue;
            }
            findings.addAll(match(p, target.get()));
        }
        for (String reason : unmatchable) {
            problems.add(new Problem(inventory.artifact().name(), null, "not matched: " + reason));
        }
        livePatchNotice(inventory).ifPresent(problems::add);
        findings.sort(FIX_FIRST);
        return new Result(findings, problems);
    }

    /**
     * Live patch packages: kpatch-patch (Red Hat family), kernel-livepatch and kgraft-patch (SUSE). Ubuntu's
     * Livepatch client is a snap, which no package database lists.
     */
    private static final java.util.regex.Pattern LIVE_PATCH =
            java.util.regex.Pattern.compile("^(kpatch-patch-.+|kernel-livepatch-(?!tools$).+|kgraft-patch-.+)$");

    /**
     * Live kernel patches fix the running kernel without changing the kernel package's version, so a
     * kernel finding may already be patched in memory: said once, with the patch packages, rather than
     * guessed per finding.
     */
    private static Optional<Problem> livePatchNotice(Inventory inventory) {
        List<String> patches = inventory.packages().stream()
                .filter(p -> p.ecosystem() == dev.palisade.inventory.Ecosystem.RPM
                        || p.ecosystem() == dev.palisade.inventory.Ecosystem.DEBIAN)
                .map(p -> p.name() + " " + p.version())
                .filter(n -> LIVE_PATCH.matcher(n.substring(0, n.indexOf(' '))).matches())
                .sorted()
                .distinct()
                .toList();
        if (patches.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Problem(
                inventory.artifact().name(),
                null,
                "live kernel patches installed (" + String.join(", ", patches)
                        + "): kernel findings are judged by the kernel package version and may already be"
                        + " fixed in the running kernel; check the live patch's advisories"));
    }

    private List<Finding> match(Package p, OsvTarget target) throws IOException {
        List<Hit> hits = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        Map<String, Advisory> advisoriesById = new LinkedHashMap<>();
        for (String ecosystem : target.ecosystems()) {
            for (String name : target.names()) {
                keys.add(PackageNames.key(ecosystem, name));
                for (Advisory advisory : store.advisories(ecosystem, name)) {
                    advisoriesById.putIfAbsent(advisory.id(), advisory);
                }
            }
        }
        for (Advisory advisory : advisoriesById.values()) {
            if (advisory.isWithdrawn()) {
                continue;
            }
            List<String> fixes = new ArrayList<>();
            boolean affected = false;
            String notCompared = null;
            for (Advisory.Affected entry : deciding(advisory, target, keys)) {
                RangeEvaluator.Verdict verdict =
                        RangeEvaluator.evaluate(entry, target.version(), target.scheme(), target.semver());
                if (verdict instanceof RangeEvaluator.Verdict.Affected hit) {
                    affected = true;
                    fixes.addAll(hit.fixes());
                } else if (verdict instanceof RangeEvaluator.Verdict.NotCompared nc) {
                    notCompared = nc.reason();
                }
            }
            if (affected) {
                hits.add(new Hit(advisory, fixes, null));
            } else if (notCompared != null) {
                hits.add(new Hit(advisory, List.of(), notCompared));
            }
        }
        List<Finding> findings = new ArrayList<>();
        for (List<Hit> group : groupByAlias(hits)) {
            findings.add(toFinding(p, target, group));
        }
        return findings;
    }

    /**
     * The advisory's entries for the package that decide whether it is affected: those of the first of
     * the target's ecosystems that has any (Ubuntu Pro before the plain release), and of them only the
     * entries for the package's RPM module stream, or without one.
     */
    private static List<Advisory.Affected> deciding(Advisory advisory, OsvTarget target, Set<String> keys) {
        for (String ecosystem : target.ecosystems()) {
            List<Advisory.Affected> entries = new ArrayList<>();
            for (Advisory.Affected entry : advisory.affected()) {
                if (entry.ecosystem().equals(ecosystem)
                        && keys.contains(PackageNames.key(entry.ecosystem(), entry.name()))
                        && (entry.module() == null || entry.module().equals(target.module()))) {
                    entries.add(entry);
                }
            }
            if (!entries.isEmpty()) {
                return entries;
            }
        }
        return List.of();
    }

    private record Hit(Advisory advisory, List<String> fixes, @Nullable String notCompared) {
        Set<String> ids() {
            Set<String> ids = new LinkedHashSet<>();
            ids.add(advisory.id());
            ids.addAll(advisory.aliases());
            return ids;
        }
    }

    /** Union of advisories that share an id or alias: one vulnerability, however many databases carry it. */
    private static List<List<Hit>> groupByAlias(List<Hit> hits) {
        List<List<Hit>> groups = new ArrayList<>();
        List<Set<String>> groupIds = new ArrayList<>();
        for (Hit hit : hits) {
            Set<String> ids = hit.ids();
            List<Hit> merged = new ArrayList<>(List.of(hit));
            Set<String> mergedIds = new LinkedHashSet<>(ids);
            for (int i = groups.size() - 1; i >= 0; i--) {
                if (groupIds.get(i).stream().anyMatch(mergedIds::contains)) {
                    merged.addAll(groups.remove(i));
                    mergedIds.addAll(groupIds.remove(i));
                }
            }
            groups.add(merged);
            groupIds.add(mergedIds);
        }
        return groups;
    }

    private Finding toFinding(Package p, OsvTarget target, List<Hit> group) throws IOException {
        group.sort(Comparator.comparing(h -> h.advisory().id()));
        Set<String> ids = new TreeSet<>();
        Set<String> related = new TreeSet<>();
        List<String> advisories = new ArrayList<>();
        Set<String> references = new LinkedHashSet<>();
        TreeSet<String> fixes = new TreeSet<>();
        boolean affected = false;
        String note = "";
        String title = "";
        String published = null;
        for (Hit h : group) {
            ids.addAll(h.ids());
            related.addAll(h.advisory().related());
            advisories.add(h.advisory().id());
            references.addAll(h.advisory().references());
            fixes.addAll(h.fixes());
            if (h.notCompared() == null) {
                affected = true;
            } else {
                note = h.notCompared();
            }
            if (title.isEmpty() && !h.advisory().summary().isBlank()) {
                title = h.advisory().summary().strip();
            }
            if (published == null
                    || (h.advisory().published() != null
                            && h.advisory().published().compareTo(published) < 0)) {
                published = h.advisory().published();
            }
        }
        related.removeAll(ids);
        String id = ids.stream().filter(i -> i.startsWith("CVE-")).findFirst().orElse(advisories.get(0));
        if (title.isEmpty()) {
            title = id;
        }
        SeverityChoice severity = severity(group);
        KevEntry kev = null;
        Set<String> kevCandidates = new LinkedHashSet<>(ids);
        kevCandidates.addAll(related);
        for (String candidate : kevCandidates) {
            if (candidate.startsWith("CVE-")) {
                kev = store.kev(candidate).orElse(null);
                if (kev != null) {
                    break;
                }
            }
        }
        List<String> sortedFixes = RangeEvaluator.sortedDistinct(fixes, target.scheme());
        return new Finding(
                p,
                id,
                new ArrayList<>(ids),
                advisories,
                new ArrayList<>(related),
                title,
                severity.severity,
                severity.source,
                severity.cvss,
                kev,
                sortedFixes,
                sortedFixes.isEmpty() ? null : sortedFixes.get(0),
                new ArrayList<>(references),
                published,
                affected ? Finding.Status.AFFECTED : Finding.Status.NOT_COMPARED,
                affected ? "" : note);
    }

    private record SeverityChoice(Severity severity, String source, @Nullable CvssScore cvss) {}

    /** The highest CVSS base score among the merged advisories; else their own labels; else unknown. */
    private static SeverityChoice severity(List<Hit> group) {
        CvssScore best = null;
        String bestFrom = null;
        for (Hit h : group) {
            for (Advisory.Score score : h.advisory().severities()) {
                Optional<CvssScore> cvss = CvssScore.of(score.score());
                if (cvss.isPresent() && (best == null || cvss.get().baseScore() > best.baseScore())) {
                    best = cvss.get();
                    bestFrom = h.advisory().id();
                }
            }
        }
        if (best != null) {
            return new SeverityChoice(
                    Severity.ofScore(best.baseScore()), "CVSS " + best.version() + " base score of " + bestFrom, best);
        }
        Severity label = null;
        String from = null;
        for (Hit h : group) {
            Optional<Severity> s = h.advisory().severityLabelOptional().flatMap(Severity::ofLabel);
            if (s.isEmpty()) {
                for (Advisory.Affected a : h.advisory().affected()) {
                    if (a.severityLabel() != null) {
                        s = Severity.ofLabel(a.severityLabel());
                        break;
                    }
                }
            }
            if (s.isPresent() && (label == null || s.get().compareTo(label) < 0)) {
                label = s.get();
                from = h.advisory().id();
            }
        }
        if (label != null) {
            return new SeverityChoice(label, "severity stated by " + from, null);
        }
        return new SeverityChoice(Severity.UNKNOWN, "no severity in the advisories", null);
    }
}
