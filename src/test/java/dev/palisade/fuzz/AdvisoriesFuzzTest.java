package dev.palisade.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.palisade.catalog.sbom.SbomReader;
import dev.palisade.vulndb.kev.KevCatalog;
import dev.palisade.vulndb.osv.OsvParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Timeout;

/** Documents from outside the artifact that Palisade still must not trust: advisories, the KEV catalog, SBOMs. */
@Timeout(10)
class AdvisoriesFuzzTest {

    @FuzzTest
    void osvRecord(byte[] input) {
        try {
            OsvParser.parse(input, "fuzz/OSV-0000.json");
        } catch (OsvParser.MalformedRecordException expected) {
            // the updater skips and counts a malformed record
        }
    }

    @FuzzTest
    void kevCatalog(byte[] input) {
        try {
            KevCatalog.parse(new ByteArrayInputStream(input));
        } catch (IOException expected) {
            // not a KEV catalog
        }
    }

    @FuzzTest
    void sbom(byte[] input) {
        try {
            SbomReader.read("fuzz.cdx.json", input);
        } catch (IOException expected) {
            // not a CycloneDX or SPDX JSON document
        }
    }
}
