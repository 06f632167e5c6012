package dev.palisade.report;

import java.util.Locale;

/** The formats {@code --format} accepts. */
public enum ReportFormat {
    TABLE,
    JSON,
    CYCLONEDX,
    SARIF;

    public ReportWriter writer(boolean listPackages) {
        return writer(listPackages, false);
    }

    /** @param patchPlan add the patch plan of the OS packages to the table and JSON formats */
    public ReportWriter writer(boolean listPackages, boolean patchPlan) {
        return switch (this) {
            case TABLE -> new TableWriter(listPackages, patchPlan);
            case JSON -> new JsonReportWriter(patchPlan);
            case CYCLONEDX -> new CycloneDxWriter();
            case SARIF -> new SarifWriter();
        };
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
