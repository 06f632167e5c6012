package dev.palisade.server;

import dev.palisade.report.ScanReport;
import dev.palisade.scan.VulnerabilityDatabase;
import dev.palisade.vulndb.Advisory;
import dev.palisade.vulndb.PackageKey;
import dev.palisade.vulndb.VulnerabilityStore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's database as one match sees it, noting every (ecosystem, package) the matchers asked
 * for. Stored with the inventory, those keys say exactly which inventories a later database change can
 * touch, whatever each ecosystem's matcher does to a name before asking. A KEV lookup is noted as the
 * key ({@value #KEV}, CVE id).
 */
final class RecordingDatabase implements VulnerabilityDatabase {
    /** The ecosystem name under which a KEV lookup is noted: a change of a CVE's KEV entry changes the findings carrying it. */
    static final String KEV = "KEV";

    private final VulnerabilityDatabase database;
    private final Set<PackageKey> asked = ConcurrentHashMap.newKeySet();

    RecordingDatabase(VulnerabilityDatabase database) {
        this.database = database;
    }

    /** The keys asked for so far. */
    Set<PackageKey> asked() {
        return Set.copyOf(asked);
    }

    @Override
    public VulnerabilityStore store() throws IOException {
        VulnerabilityStore store = database.store();
        return new VulnerabilityStore() {
            @Override
            public List<Advisory> advisories(String ecosystem, String name) throws IOException {
                asked.add(new PackageKey(ecosystem, name));
                return store.advisories(ecosystem, name);
            }

            @Override
            public Optional<KevEntry> kev(String cve) throws IOException {
                asked.add(new PackageKey(KEV, cve));
                return store.kev(cve);
            }

            @Override
            public Set<String> ecosystems() throws IOException {
                return store.ecosystems();
            }
        };
    }

    @Override
    public ScanReport.DatabaseInfo describe() throws IOException {
        return database.describe();
    }
}
