package dev.palisade.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.palisade.checks.CheckMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SOC 2 criteria Palisade gives evidence for (data: {@code soc2-criteria.yaml}), each with the
 * processes behind it and the checks that count towards it: a check counts when it names a NIST SP
 * 800-53 control of one of the criterion's families.
 */
public final class Soc2Criteria {
    private static final Pattern NIST = Pattern.compile("NIST SP 800-53 ([A-Z]{2})-\\d+");

    /** A criterion and what stands behind it. */
    public record Criterion(
            String id, String title, List<String> processes, List<String> nistFamilies, List<CheckMetadata> checks) {
        public Criterion {
            processes = List.copyOf(processes);
            nistFamilies = List.copyOf(nistFamilies);
            checks = List.copyOf(checks);
        }
    }

    private final String source;
    private final List<Criterion> criteria;

    private Soc2Criteria(String source, List<Criterion> criteria) {
        this.source = source;
        this.criteria = List.copyOf(criteria);
    }

    /** The criteria, with {@code checks} (every check Palisade has) mapped to them. */
    public static Soc2Criteria load(Collection<CheckMetadata> checks) {
        JsonNode root;
        try (InputStream in = Soc2Criteria.class.getResourceAsStream("soc2-criteria.yaml")) {
            if (in == null) {
                throw new IOException("soc2-criteria.yaml is missing from the jar");
            }
            root = new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Criterion> criteria = new ArrayList<>();
        for (JsonNode c : root.path("criteria")) {
            List<String> families = new ArrayList<>();
            c.path("nistFamilies").forEach(f -> families.add(f.asText().toUpperCase(Locale.ROOT)));
            List<String> processes = new ArrayList<>();
            c.path("processes").forEach(p -> processes.add(p.asText()));
            List<CheckMetadata> mapped = new ArrayList<>();
            for (CheckMetadata check : checks) {
                if (nistFamilies(check).stream().anyMatch(families::contains)) {
                    mapped.add(check);
                }
            }
            mapped.sort(java.util.Comparator.comparing(CheckMetadata::id));
            criteria.add(new Criterion(c.path("id").asText(), c.path("title").asText(), processes, families, mapped));
        }
        return new Soc2Criteria(root.path("source").asText(), criteria);
    }

    static List<String> nistFamilies(CheckMetadata check) {
        List<String> families = new ArrayList<>();
        for (String reference : check.references()) {
            Matcher m = NIST.matcher(reference);
            if (m.find()) {
                families.add(m.group(1));
            }
        }
        return families;
    }

    public String source() {
        return source;
    }

    public List<Criterion> criteria() {
        return criteria;
    }
}
