package dev.palisade.server;

import dev.palisade.match.Severity;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Something the server tells webhooks about: a finding that appeared or went away in a target, a patch
 * past its due date, or a scan that could not be stored or matched.
 *
 * @param id unique per event and stable across deliveries, so that receivers can drop duplicates
 * @param deploymentModel how the target runs ({@code function}, {@code container}, {@code vm}...)
 * @param finding what was found, for every type but {@link Type#SCAN_FAILED}
 * @param message what went wrong, for {@link Type#SCAN_FAILED} only
 */
public record ServerEvent(
        String id,
        Type type,
        Instant time,
        String application,
        String target,
        String deploymentModel,
        @Nullable FindingDetails finding,
        @Nullable String message) {

    /** What happened; {@link #wireName()} is what webhook payloads and subscriptions call it. */
    public enum Type {
        FINDING_NEW("finding.new"),
        FINDING_RESOLVED("finding.resolved"),
        PATCH_OVERDUE("patch.overdue"),
        SCAN_FAILED("scan.failed");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /** The type a subscription names ({@code finding.new}...), if there is one by that name. */
        public static Optional<Type> ofWireName(String name) {
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            for (Type type : values()) {
                if (type.wireName.equals(wanted)) {
                    return Optional.of(type);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * One vulnerability in one package of the target.
     *
     * @param vulnerabilityId the id shown first: the CVE when there is one
     * @param purl the package URL, when the package has one
     * @param fixedVersion the smallest upgrade that fixes it, if any is known
     * @param firstSeen when the server first matched this finding in this target
     * @param patchDue when the patch is due by the application's policy, if it has one
     */
    public record FindingDetails(
            String vulnerabilityId,
            Severity severity,
            @Nullable String purl,
            String packageName,
            String packageVersion,
            @Nullable String fixedVersion,
            String title,
            Instant firstSeen,
            @Nullable LocalDate patchDue) {
        public FindingDetails {
            Objects.requireNonNull(vulnerabilityId, "vulnerabilityId");
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(packageName, "packageName");
            Objects.requireNonNull(packageVersion, "packageVersion");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(firstSeen, "firstSeen");
        }
    }

    public ServerEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(deploymentModel, "deploymentModel");
        if (id.isBlank()) {
            throw new IllegalArgumentException("an event needs an id");
        }
        if (type == Type.SCAN_FAILED) {
            if (message == null || finding != null) {
                throw new IllegalArgumentException("a failed scan has a message and no finding");
            }
        } else if (finding == null || message != null) {
            throw new IllegalArgumentException("a " + type.wireName() + " event has a finding and no message");
        }
    }

    /** A new, resolved or overdue finding. */
    public static ServerEvent finding(
            String id,
            Type type,
            Instant time,
            String application,
            String target,
            String deploymentModel,
            FindingDetails finding) {
        return new ServerEvent(id, type, time, application, target, deploymentModel, finding, null);
    }

    /** A scan of the target that could not be stored or matched. */
    public static ServerEvent scanFailed(
            String id, Instant time, String application, String target, String deploymentModel, String message) {
        return new ServerEvent(id, Type.SCAN_FAILED, time, application, target, deploymentModel, null, message);
    }

    /**
     * A fresh random event id. Prefer an id derived from what the event is about (the stored finding's
     * row and the type, say) where there is one: it stays the same if the event is raised again.
     */
    public static String newId() {
        return "evt_" + UUID.randomUUID();
    }
}
