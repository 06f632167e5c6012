package dev.palisade.report;

import dev.palisade.inventory.Inventory;
import java.time.Instant;
import java.util.Objects;

/** Everything one scan produced, as the writers see it. */
public record ScanReport(Inventory inventory, Instant createdAt, String toolVersion) {
    public ScanReport {
        Objects.requireNonNull(inventory, "inventory");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(toolVersion, "toolVersion");
    }
}
