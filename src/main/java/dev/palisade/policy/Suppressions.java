package dev.palisade.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import dev.palisade.match.Finding;
import dev.palisade.source.StructuredText;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Decisions not to report a finding, from an ignore file (YAML) or OpenVEX documents. A suppressed
 * finding keeps the reason; an expired ignore entry stops applying and is reported.
 */
public final class Suppressions {
    private final List<Rule> rules;
    private final List<String> notices;

    private Suppressions(List<Rule> rules, List<String> notices) {
        this.rules = List.copyOf(rules);
        this.notices = List.copyOf(notices);
    }

    public static Suppressions none() {
        return new Suppressions(List.of(), List.of());
    }

    /**
     * One reason not to report: ids it covers, packages it is limited to (empty: all), why, and who owns
     * and approved the decision and until when it holds, when the entry says so.
     */
    record Rule(
            List<String> ids,
            List<String> packages,
            String source,
            String reason,
            @Nullable String owner,
            @Nullable String approvedBy,
            @Nullable LocalDate expires) {
        Rule(List<String> ids, List<String> packages, String source, String reason) {
            this(ids, packages, source, reason, null, null, null);
        }
    }

    /**
     * A finding that was not reported, and why: the entry's source and reason, its owner, who approved
     * it and its expiry, each null when the entry does not say.
     */
    public record Suppressed(
            Finding finding,
            String source,
            String reason,
            @Nullable String owner,
            @Nullable String approvedBy,
            @Nullable LocalDate expires) {
        public Suppressed {
            Objects.requireNonNull(finding, "finding");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(reason, "reason");
        }

        /** The same decision about another record of the finding (its package redacted, say). */
        public Suppressed withFinding(Finding other) {
            return new Suppressed(other, source, reason, owner, approvedBy, expires);
        }
    }

    /** Findings kept, findings suppressed with their reasons, and notices (expired entries...). */
    public record Outcome(List<Finding> kept, List<Suppressed> suppressed, List<String> notices) {
        public Outcome {
            kept = List.copyOf(kept);
            suppressed = List.copyOf(suppressed);
            notices = List.copyOf(notices);
        }
    }

    /**
     * Reads an ignore file:
     * <pre>
     * vulnerabilities:
     *   - id: CVE-2021-44228
     *     package: org.apache.logging.log4j:log4j-core   # optional: a package name or purl
     *     reason: JNDI lookups are disabled in our configuration
     *     expires: 2027-01-31                            # optional
     *     owner: team-payments                           # optional: who answers for the exception
     *     approved_by: jane.doe                          # optional: who accepted the risk
     * </pre>
     * Check findings (by check id, {@code package} being the file) and secrets may stand in the same
     * list or, as in Trivy's {@code trivyignore.yaml}, in {@code misconfigurations:} and {@code secrets:}.
     * Trivy's spellings ({@code statement}, {@code expired_at}, {@code purls}, {@code paths}) are accepted too,
     * and {@code approvedBy} for {@code approved_by}. Owner, approver and expiry go into the exceptions register.
     */
    public Suppressions withIgnoreFile(String name, byte[] yaml, LocalDate today) throws IOException {
        JsonNode root = StructuredText.yaml(yaml);
        List<JsonNode> entries = new ArrayList<>();
        boolean anyList = false;
        for (String list : List.of("vulnerabilities", "misconfigurations", "secrets")) {
            JsonNode section = root.path(list);
            if (section.isArray()) {
                anyList = true;
                section.forEach(entries::add);
            } else if (!section.isMissingNode() && !section.isNull()) {
                throw new IOException(name + ": '" + list + "' must be a list");
            }
        }
        if (!anyList) {
            throw new IOException(name + ": expected a 'vulnerabilities', 'misconfigurations' or 'secrets' list");
        }
        List<Rule> added = new ArrayList<>(rules);
        List<String> messages = new ArrayList<>(notices);
        int index = 0;
        for (JsonNode entry : entries) {
            index++;
            String id = StructuredText.text(entry, "id");
            if (id.isEmpty()) {
                throw new IOException(name + ": entry " + index + " has no id");
            }
            String reason = first(StructuredText.text(entry, "reason"), StructuredText.text(entry, "statement"));
            if (reason.isEmpty()) {
                reason = "listed in " + name;
            }
            String expires = first(StructuredText.text(entry, "expires"), StructuredText.text(entry, "expired_at"));
            LocalDate expiry = null;
            if (!expires.isEmpty()) {
                try {
                    expiry = LocalDate.parse(expires.length() > 10 ? expires.substring(0, 10) : expires);
                    if (expiry.isBefore(today)) {
                        messages.add(
                                name + ": the entry for " + id + " expired on " + expiry + " and no longer applies");
                        continue;
                    }
                } catch (DateTimeParseException e) {
                    throw new IOException(name + ": entry " + index + " (" + id + "): expiry '" + expires
                            + "' is not a date (YYYY-MM-DD)");
                }
            }
            List<String> packages = new ArrayList<>();
            String single = StructuredText.text(entry, "package");
            if (!single.isEmpty()) {
                packages.add(single);
            }
            for (JsonNode purl : entry.path("purls")) {
                packages.add(purl.asText());
            }
            for (JsonNode path : entry.path("paths")) {
                packages.add(path.asText());
            }
            added.add(new Rule(
                    List.of(id),
                    packages,
                    "ignore-file " + name,
                    reason,
                    optional(StructuredText.text(entry, "owner")),
                    optional(
                            first(StructuredText.text(entry, "approved_by"), StructuredText.text(entry, "approvedBy"))),
                    expiry));
        }
        return new Suppressions(added, messages);
    }

    /**
     * Reads an ignore file in either of Trivy's forms: YAML ({@link #withIgnoreFile}) when the name ends in
     * {@code .yaml} or {@code .yml} or the content is a YAML mapping, else the plain {@code .trivyignore}
     * form ({@link #withPlainIgnoreFile}).
     */
    public Suppressions withAnyIgnoreFile(String name, byte[] content, LocalDate today) throws IOException {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return withIgnoreFile(name, content, today);
        }
        JsonNode root;
        try {
            root = StructuredText.yaml(content);
        } catch (IOException e) {
            return withPlainIgnoreFile(name, content, today);
        }
        return root.isObject() ? withIgnoreFile(name, content, today) : withPlainIgnoreFile(name, content, today);
    }

    /**
     * Reads Trivy's plain {@code .trivyignore}: one id per line (a vulnerability, check or secret rule id),
     * {@code #} starts a comment line, and a field {@code exp:YYYY-MM-DD} after the id ends the entry after
     * that day. As in Trivy, an entry whose expiry is not a date does not apply (a notice says so).
     */
    public Suppressions withPlainIgnoreFile(String name, byte[] content, LocalDate today) {
        List<Rule> added = new ArrayList<>(rules);
        List<String> messages = new ArrayList<>(notices);
        String[] lines = new String(content, java.nio.charset.StandardCharsets.UTF_8).split("\\R");
        for (int number = 1; number <= lines.length; number++) {
            String line = lines[number - 1].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            String id = fields[0];
            String expired = null;
            for (int i = 1; i < fields.length; i++) {
                if (fields[i].startsWith("exp:")) {
                    expired = fields[i].substring("exp:".length());
                    break;
                }
            }
            LocalDate expiry = null;
            if (expired != null) {
                LocalDate date;
                try {
                    date = LocalDate.parse(expired);
                } catch (DateTimeParseException e) {
                    messages.add(name + ": line " + number + " (" + id + "): expiry '" + expired
                            + "' is not a date (exp:YYYY-MM-DD); the entry does not apply");
                    continue;
                }
                if (date.isBefore(today)) {
                    messages.add(name + ": the entry for " + id + " expired on " + date + " and no longer applies");
                    continue;
                }
                expiry = date;
            }
            added.add(new Rule(List.of(id), List.of(), "ignore-file " + name, "listed in " + name, null, null, expiry));
        }
        return new Suppressions(added, messages);
    }

    /**
     * Reads a VEX document, OpenVEX or CycloneDX: statements with status {@code not_affected} or
     * {@code fixed} suppress (CycloneDX: analysis state {@code not_affected}, {@code false_positive},
     * {@code resolved} or {@code resolved_with_pedigree}, as Trivy maps them).
     */
    public Suppressions withVex(String name, byte[] json) throws IOException {
        JsonNode root = StructuredText.json(json);
        if (root.path("bomFormat").asText().equals("CycloneDX")) {
            return withCycloneDxVex(name, root);
        }
        JsonNode statements = root.path("statements");
        if (!statements.isArray()) {
            throw new IOException(name + ": not a VEX document (neither OpenVEX 'statements' nor a CycloneDX BOM)");
        }
        List<Rule> added = new ArrayList<>(rules);
        for (JsonNode statement : statements) {
            String status = StructuredText.text(statement, "status").toLowerCase(Locale.ROOT);
            if (!status.equals("not_affected") && !status.equals("fixed")) {
                continue;
            }
            JsonNode vulnerability = statement.path("vulnerability");
            List<String> ids = new ArrayList<>();
            if (vulnerability.isTextual()) {
                ids.add(vulnerability.asText());
            } else {
                String vulnName = StructuredText.text(vulnerability, "name");
                if (!vulnName.isEmpty()) {
                    ids.add(vulnName);
                }
                for (JsonNode alias : vulnerability.path("aliases")) {
                    ids.add(alias.asText());
                }
            }
            if (ids.isEmpty()) {
                continue;
            }
            List<String> products = new ArrayList<>();
            for (JsonNode product : statement.path("products")) {
                products.add(product.isTextual() ? product.asText() : StructuredText.text(product, "@id"));
                for (JsonNode sub : product.path("subcomponents")) {
                    products.add(sub.isTextual() ? sub.asText() : StructuredText.text(sub, "@id"));
                }
            }
            String justification = first(
                    StructuredText.text(statement, "justification"),
                    StructuredText.text(statement, "impact_statement"));
            String reason = "VEX " + status + (justification.isEmpty() ? "" : ": " + justification);
            added.add(new Rule(ids, products, "vex " + name, reason));
        }
        return new Suppressions(added, notices);
    }

    private static final List<String> CYCLONEDX_SUPPRESSING =
            List.of("not_affected", "false_positive", "resolved", "resolved_with_pedigree");

    /**
     * CycloneDX VEX: each {@code vulnerabilities[]} entry with its {@code analysis.state}; {@code affects[].ref}
     * is a purl, a BOM-Link ({@code urn:cdx:SERIAL/VERSION#BOM-REF}) or a bom-ref of this document's components.
     */
    private Suppressions withCycloneDxVex(String name, JsonNode root) throws IOException {
        JsonNode vulnerabilities = root.path("vulnerabilities");
        if (!vulnerabilities.isArray()) {
            throw new IOException(name + ": a CycloneDX document without 'vulnerabilities' is not a VEX");
        }
        java.util.Map<String, String> purlsByRef = new java.util.HashMap<>();
        collectComponentPurls(root.path("components"), purlsByRef, 0);
        List<Rule> added = new ArrayList<>(rules);
        for (JsonNode vulnerability : vulnerabilities) {
            JsonNode analysis = vulnerability.path("analysis");
            String state = StructuredText.text(analysis, "state").toLowerCase(Locale.ROOT);
            if (!CYCLONEDX_SUPPRESSING.contains(state)) {
                continue;
            }
            List<String> ids = new ArrayList<>();
            String id = StructuredText.text(vulnerability, "id");
            if (!id.isEmpty()) {
                ids.add(id);
            }
            for (JsonNode reference : vulnerability.path("references")) {
                String alias = StructuredText.text(reference, "id");
                if (!alias.isEmpty()) {
                    ids.add(alias);
                }
            }
            if (ids.isEmpty()) {
                continue;
            }
            List<String> products = new ArrayList<>();
            for (JsonNode affected : vulnerability.path("affects")) {
                String ref = StructuredText.text(affected, "ref");
                String local =
                        ref.startsWith("urn:cdx:") && ref.contains("#") ? ref.substring(ref.indexOf('#') + 1) : ref;
                if (local.startsWith("pkg:")) {
                    products.add(local);
                } else if (purlsByRef.containsKey(local)) {
                    products.add(purlsByRef.get(local));
                } else if (!local.isEmpty()) {
                    products.add(local); // a bom-ref that names no component here: matched as a package name
                }
            }
            String justification =
                    first(StructuredText.text(analysis, "justification"), StructuredText.text(analysis, "detail"));
            String reason = "VEX " + state + (justification.isEmpty() ? "" : ": " + justification);
            added.add(new Rule(ids, products, "vex " + name, reason));
        }
        return new Suppressions(added, notices);
    }

    private static void collectComponentPurls(JsonNode components, java.util.Map<String, String> into, int depth) {
        if (depth > 32) {
            return;
        }
        for (JsonNode component : components) {
            String ref = StructuredText.text(component, "bom-ref");
            String purl = StructuredText.text(component, "purl");
            if (!ref.isEmpty() && !purl.isEmpty()) {
                into.put(ref, purl);
            }
            collectComponentPurls(component.path("components"), into, depth + 1);
        }
    }

    /**
     * What an ignore-file entry or VEX statement says of itself: where it comes from, why, who owns it,
     * who approved it and until when it holds (each null when the entry does not say).
     */
    public record Decision(
            String source,
            String reason,
            @Nullable String owner,
            @Nullable String approvedBy,
            @Nullable LocalDate expires) {
        public Decision {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The decision covering a configuration check finding, if any: the entry's id is the check id and its
     * package, when given, is the file the finding is in.
     */
    public Optional<Decision> decisionFor(String checkId, String path) {
        for (Rule rule : rules) {
            if (rule.ids().contains(checkId)
                    && (rule.packages().isEmpty() || rule.packages().contains(path))) {
                return Optional.of(
                        new Decision(rule.source(), rule.reason(), rule.owner(), rule.approvedBy(), rule.expires()));
            }
        }
        return Optional.empty();
    }

    public Outcome apply(List<Finding> findings) {
        List<Finding> kept = new ArrayList<>();
        List<Suppressed> suppressed = new ArrayList<>();
        for (Finding f : findings) {
            Optional<Rule> rule = rules.stream().filter(r -> covers(r, f)).findFirst();
            if (rule.isPresent()) {
                Rule r = rule.get();
                suppressed.add(new Suppressed(f, r.source(), r.reason(), r.owner(), r.approvedBy(), r.expires()));
            } else {
                kept.add(f);
            }
        }
        return new Outcome(kept, suppressed, notices);
    }

    private static boolean covers(Rule rule, Finding f) {
        if (rule.ids().stream()
                .noneMatch(id -> f.ids().contains(id) || f.advisories().contains(id))) {
            return false;
        }
        if (rule.packages().isEmpty()) {
            return true;
        }
        for (String p : rule.packages()) {
            if (p.equals(f.pkg().name()) || samePackage(p, f.pkg().purl())) {
                return true;
            }
        }
        return false;
    }

    /** A purl covers a package when type, namespace and name agree, and the version too if it has one. */
    public static boolean samePackage(String rulePurl, String packagePurl) {
        if (!rulePurl.startsWith("pkg:")) {
            return false;
        }
        try {
            PackageURL rule = new PackageURL(rulePurl);
            PackageURL pkg = new PackageURL(packagePurl);
            return rule.getType().equals(pkg.getType())
                    && equal(rule.getNamespace(), pkg.getNamespace())
                    && rule.getName().equals(pkg.getName())
                    && (rule.getVersion() == null || rule.getVersion().equals(pkg.getVersion()));
        } catch (MalformedPackageURLException e) {
            return false;
        }
    }

    private static boolean equal(@Nullable String a, @Nullable String b) {
        return a == null ? b == null : a.equals(b);
    }

    private static @Nullable String optional(String text) {
        return text.isBlank() ? null : text.strip();
    }

    private static String first(String a, String b) {
        return a.isEmpty() ? b : a;
    }
}
