package dev.palisade.match;

import java.util.Optional;
import us.springett.cvss.Cvss;
import us.springett.cvss.MalformedVectorException;

/**
 * A CVSS base score computed from an advisory's vector with a CVSS calculator library (v2, v3.0 and
 * v3.1). CVSS v4.0 vectors are kept but not scored yet; the advisory's own label rates them.
 */
public record CvssScore(String vector, double baseScore, String version) {
    public static Optional<CvssScore> of(String vector) {
        if (vector.startsWith("CVSS:4")) {
            return Optional.empty();
        }
        try {
            Cvss cvss = Cvss.fromVector(vector);
            if (cvss == null) {
                return Optional.empty();
            }
            String version = vector.startsWith("CVSS:3.1") ? "3.1" : vector.startsWith("CVSS:3.0") ? "3.0" : "2.0";
            return Optional.of(new CvssScore(vector, cvss.calculateScore().getBaseScore(), version));
        } catch (MalformedVectorException | IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
