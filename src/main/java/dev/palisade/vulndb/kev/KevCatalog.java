package dev.palisade.vulndb.kev;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.palisade.vulndb.VulnerabilityStore.KevEntry;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** Reads CISA's Known Exploited Vulnerabilities catalog (its own JSON schema, keyed by {@code cveID}). */
public final class KevCatalog {
    public static final String DEFAULT_URL =
            "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private KevCatalog() {}

    /** The catalog's version and its entries; entries without a CVE id are counted as malformed. */
    public record Parsed(String catalogVersion, List<KevEntry> entries, int malformed) {}

    public static Parsed parse(InputStream in) throws IOException {
        JsonNode root = JSON.readTree(in);
        if (root == null || !root.path("vulnerabilities").isArray()) {
            throw new IOException("not a KEV catalog: no 'vulnerabilities' array");
        }
        List<KevEntry> entries = new ArrayList<>();
        int malformed = 0;
        for (JsonNode v : root.path("vulnerabilities")) {
            String cve = v.path("cveID").asText("");
            if (!cve.startsWith("CVE-")) {
                malformed++;
                continue;
            }
            entries.add(new KevEntry(
                    cve,
                    v.path("dateAdded").asText(""),
                    v.path("dueDate").asText(""),
                    v.path("knownRansomwareCampaignUse").asText(""),
                    v.path("vulnerabilityName").asText("")));
        }
        return new Parsed(root.path("catalogVersion").asText(""), entries, malformed);
    }
}
