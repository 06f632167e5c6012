package dev.palisade.inventory;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The operating system an artifact holds, from {@code etc/os-release}.
 *
 * @param id the {@code ID} ({@code debian}, {@code alpine}, {@code rhel}...)
 * @param versionId the {@code VERSION_ID} ({@code 12}, {@code 3.19.1}, {@code 9.4})
 * @param codename the {@code VERSION_CODENAME} ({@code bookworm}), where given
 * @param prettyName the {@code PRETTY_NAME}
 * @param idLike the {@code ID_LIKE} families, space separated
 */
public record OsRelease(
        String id,
        String versionId,
        @Nullable String codename,
        @Nullable String prettyName,
        @Nullable String idLike,
        Location location) {
    public OsRelease {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(location, "location");
    }

    /** The purl {@code distro} qualifier: {@code debian-12}. */
    public String distroQualifier() {
        return versionId.isEmpty() ? id : id + "-" + versionId;
    }

    public Optional<String> codenameOptional() {
        return Optional.ofNullable(codename);
    }

    public OsRelease withLocation(Location newLocation) {
        return new OsRelease(id, versionId, codename, prettyName, idLike, newLocation);
    }
}
