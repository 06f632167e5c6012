package dev.palisade.report;

import java.util.Locale;

/** The formats {@code --format} accepts. */
public enum ReportFormat {
    TABLE,
    JSON,
    CYCLONEDX,
    SARIF;

    public ReportWriter writer(boolean listPackages) {
        return switch (this) {
            case TABLE -> new TableWriter(listPackages);
            case JSON -> new JsonReportWriter();
            case CYCLONEDX -> new CycloneDxWriter();
            case SARIF -> new SarifWriter();
        };
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
