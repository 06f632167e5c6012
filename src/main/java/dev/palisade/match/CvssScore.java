package dev.palisade.match;

import java.util.Optional;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;
import us.springett.cvss.Cvss;

/**
 * A CVSS score computed from an advisory's vector. CVSS v2, v3.0 and v3.1 vectors are scored with a CVSS calculator
 * library; CVSS v4.0 vectors with {@link CvssV4Calculator}, which follows FIRST's reference calculator (the library's
 * own v4.0 scoring rounds 522 of the 104,976 base vectors 0.1 too low). A vector that is not valid has no score, so
 * the advisory's own label rates it.
 */
public record CvssScore(String vector, double baseScore, String version) {
    public static Optional<CvssScore> of(@Nullable String vector) {
        if (vector == null) {
            return Optional.empty();
        }
        if (vector.startsWith("CVSS:4")) {
            OptionalDouble score = CvssV4Calculator.score(vector);
            return score.isPresent()
                    ? Optional.of(new CvssScore(vector, score.getAsDouble(), "4.0"))
                    : Optional.empty();
        }
        try {
            Cvss cvss = Cvss.fromVector(vector);
            if (cvss == null) {
                return Optional.empty();
            }
            String version = vector.startsWith("CVSS:3.1") ? "3.1" : vector.startsWith("CVSS:3.0") ? "3.0" : "2.0";
            return Optional.of(new CvssScore(vector, cvss.calculateScore().getBaseScore(), version));
        } catch (RuntimeException e) {
            // Not only MalformedVectorException: the library throws StringIndexOutOfBoundsException on "CVSS:/4.0/...".
            return Optional.empty();
        }
    }
}
