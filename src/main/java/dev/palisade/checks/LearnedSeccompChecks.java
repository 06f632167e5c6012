package dev.palisade.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.source.EntryPaths;
import dev.palisade.source.FileEntry;
import dev.palisade.source.FileTree;
import dev.palisade.source.Problem;
import dev.palisade.source.StructuredText;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Compares the seccomp profile each workload runs under with the profile learned from a traced run
 * ({@code --learned}): a profile file the workload names (Kubernetes {@code Localhost}, compose {@code
 * security_opt: seccomp:FILE}) is found among the scanned files and compared call by call; a workload on
 * the runtime's default profile is told how many calls the learned profile would remove.
 */
public final class LearnedSeccompChecks {
    /** Actions under which a call runs. */
    private static final Set<String> RUNS = Set.of("SCMP_ACT_ALLOW", "SCMP_ACT_LOG");

    private static final int NAMES_SHOWN = 40;

    private final CheckCatalog catalog;
    private final LearnedProfile learned;
    private final RuntimeDefaultSeccomp runtimeDefault;
    private final long maxFileBytes;

    public LearnedSeccompChecks(
            CheckCatalog catalog, LearnedProfile learned, RuntimeDefaultSeccomp runtimeDefault, long maxFileBytes) {
        this.catalog = catalog;
        this.learned = learned;
        this.runtimeDefault = runtimeDefault;
        this.maxFileBytes = maxFileBytes;
    }

    /**
     * What a seccomp profile lets run: the calls its allowing rules name or, when its default action
     * allows, every call but those its other rules name.
     *
     * @param allowsByDefault the default action lets every call not named run
     * @param named the calls named by allowing rules, or (when allowsByDefault) by the other rules
     */
    public record SeccompRules(boolean allowsByDefault, SortedSet<String> named) {
        public SeccompRules {
            named = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(named));
        }

        public boolean allows(String call) {
            return allowsByDefault != named.contains(call);
        }

        /** Reads an OCI/Docker seccomp profile; IOException when it is not one. */
        public static SeccompRules parse(byte[] json) throws IOException {
            JsonNode root = StructuredText.json(json);
            if (!root.isObject() || !root.path("defaultAction").isTextual()) {
                throw new IOException("not a seccomp profile (no defaultAction)");
            }
            boolean allowsByDefault = RUNS.contains(root.path("defaultAction").asText());
            TreeSet<String> named = new TreeSet<>();
            for (JsonNode rule : root.path("syscalls")) {
                // a rule with arguments allows the call only sometimes: it counts as allowed
                if (RUNS.contains(rule.path("action").asText()) != allowsByDefault) {
                    rule.path("names").forEach(n -> named.add(n.asText()));
                    if (rule.path("name").isTextual()) {
                        named.add(rule.path("name").asText());
                    }
                }
            }
            return new SeccompRules(allowsByDefault, named);
        }
    }

    /**
     * A workload's profile against the learned one.
     *
     * @param unused calls the profile allows that the learned profile does not need (when the profile
     *     allows by default: empty, see {@link SeccompRules#allowsByDefault})
     * @param blocked calls the traced run made that the profile does not allow
     */
    public record Comparison(SortedSet<String> unused, SortedSet<String> blocked) {}

    public Comparison compare(SeccompRules rules) {
        TreeSet<String> unused = new TreeSet<>();
        if (!rules.allowsByDefault()) {
            unused.addAll(rules.named());
            unused.removeAll(learned.needed());
        }
        TreeSet<String> blocked = new TreeSet<>();
        for (String call : learned.syscalls()) {
            if (!rules.allows(call)) {
                blocked.add(call);
            }
        }
        return new Comparison(unused, blocked);
    }

    /** The findings for each workload's profile; profiles that cannot be found or read are problems. */
    public void evaluate(
            FileTree tree, List<SeccompReference> references, List<Misconfiguration> found, List<Problem> problems) {
        SortedSet<String> removedFromDefault = runtimeDefault.removedBy(learned.needed());
        String defaultSummary = "the runtime's default profile (" + runtimeDefault.source() + ") allows "
                + runtimeDefault.allowed().size() + " calls on x86_64; the learned profile (" + learned.name()
                + ") allows " + learned.needed().size() + " and removes " + removedFromDefault.size();
        for (SeccompReference reference : references) {
            switch (reference.kind()) {
                case RUNTIME_DEFAULT, UNSET ->
                    found.add(finding(
                            "PAL-3203",
                            reference,
                            reference.workload() + ": "
                                    + (reference.kind() == SeccompReference.Kind.UNSET
                                            ? "no seccomp profile set (Unconfined unless the kubelet's seccompDefault is"
                                                    + " on); "
                                            : "runs under RuntimeDefault; ")
                                    + defaultSummary + ": " + names(removedFromDefault)));
                case LOCALHOST -> localhost(tree, reference, defaultSummary, found, problems);
                case UNCONFINED -> {
                    // already a finding of its own (no seccomp at all); nothing to compare
                }
            }
        }
    }

    private void localhost(
            FileTree tree,
            SeccompReference reference,
            String defaultSummary,
            List<Misconfiguration> found,
            List<Problem> problems) {
        Optional<String> file = locate(tree, reference);
        if (file.isEmpty()) {
            problems.add(new Problem(
                    reference.path(),
                    null,
                    reference.workload() + ": the seccomp profile " + reference.profile()
                            + " is not among the scanned files, so it was not compared with the learned profile"
                            + " (scan the directory that holds it too)"));
            return;
        }
        SeccompRules rules;
        try {
            Optional<byte[]> bytes = tree.readResolved(file.get(), maxFileBytes);
            if (bytes.isEmpty()) {
                throw new IOException("not a regular file");
            }
            rules = SeccompRules.parse(bytes.get());
        } catch (IOException | RuntimeException e) {
            problems.add(new Problem(
                    file.get(),
                    null,
                    reference.workload() + ": seccomp profile not compared with the learned profile: "
                            + e.getMessage()));
            return;
        }
        Comparison comparison = compare(rules);
        String profile = reference.workload() + ": the seccomp profile " + file.get();
        if (rules.allowsByDefault()) {
            found.add(finding(
                    "PAL-3201",
                    reference,
                    profile + " allows every call but the " + rules.named().size()
                            + " it names (its defaultAction runs them); the learned profile needs "
                            + learned.needed().size() + "; " + defaultSummary));
        } else if (!comparison.unused().isEmpty()) {
            found.add(finding(
                    "PAL-3201",
                    reference,
                    profile + " allows " + comparison.unused().size() + " calls the traced run never needed: "
                            + names(comparison.unused()) + "; " + defaultSummary));
        }
        if (!comparison.blocked().isEmpty()) {
            found.add(finding(
                    "PAL-3202",
                    reference,
                    profile + " does not allow " + comparison.blocked().size() + " calls the traced run made: "
                            + names(comparison.blocked())));
        }
    }

    /**
     * The profile file a reference names, among the scanned files: beside the configuration file first,
     * then anywhere in the tree ending with the same path (a kubelet's {@code profiles/app.json} kept in a
     * repository's {@code deploy/seccomp/profiles/app.json}).
     */
    static Optional<String> locate(FileTree tree, SeccompReference reference) {
        Optional<String> relative = EntryPaths.normalize(reference.profile());
        if (relative.isEmpty() || relative.get().isEmpty()) {
            return Optional.empty();
        }
        boolean compose = reference.keyPath().endsWith(".security_opt");
        if (!compose || !reference.profile().startsWith("/")) {
            Optional<String> beside =
                    EntryPaths.normalize(EntryPaths.join(EntryPaths.parent(reference.path()), relative.get()));
            if (beside.isPresent()
                    && tree.resolveEntry(beside.get())
                            .filter(FileEntry::isRegularFile)
                            .isPresent()) {
                return beside;
            }
        }
        String suffix = "/" + relative.get();
        for (FileEntry entry : tree.entries()) {
            if (entry.isRegularFile()
                    && (entry.path().equals(relative.get()) || entry.path().endsWith(suffix))) {
                return Optional.of(entry.path());
            }
        }
        return Optional.empty();
    }

    private Misconfiguration finding(String id, SeccompReference reference, String message) {
        return new Misconfiguration(catalog.get(id), reference.path(), 0, reference.keyPath(), null, message);
    }

    private static String names(SortedSet<String> names) {
        if (names.isEmpty()) {
            return "none";
        }
        List<String> shown = names.stream().limit(NAMES_SHOWN).toList();
        return String.join(", ", shown)
                + (names.size() > NAMES_SHOWN ? " and " + (names.size() - NAMES_SHOWN) + " more" : "");
    }
}
