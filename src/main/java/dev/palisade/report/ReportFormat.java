package dev.palisade.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** The formats {@code --format} accepts. */
public enum ReportFormat {
    TABLE,
    JSON,
    CYCLONEDX,
    SPDX_JSON,
    SARIF,
    HTML,
    TEMPLATE;

    public ReportWriter writer(boolean listPackages) {
        return writer(listPackages, false, null);
    }

    /**
     * The writer of this format.
     *
     * @param patchPlan add the patch plan of the OS packages to the table and JSON formats
     * @param template the text of the user's template, which only {@link #TEMPLATE} needs (and requires)
     */
    public ReportWriter writer(boolean listPackages, boolean patchPlan, @Nullable String template) {
        return switch (this) {
            case TABLE -> new TableWriter(listPackages, TableWriter.Style.PLAIN, patchPlan);
            case JSON -> new JsonReportWriter(patchPlan);
            case CYCLONEDX -> new CycloneDxWriter();
            case SPDX_JSON -> new SpdxWriter(new LicenseExpressions());
            case SARIF -> new SarifWriter();
            case HTML -> new HtmlWriter();
            case TEMPLATE -> {
                if (template == null) {
                    throw new IllegalArgumentException("--format template needs --report-template FILE");
                }
                yield TemplateWriter.compile(template);
            }
        };
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The format a {@code --format} value names ({@code spdx-json}, any case). */
    public static Optional<ReportFormat> parse(String cliName) {
        return Arrays.stream(values())
                .filter(f -> f.cliName().equalsIgnoreCase(cliName.strip()))
                .findFirst();
    }

    /** Every format, as {@code --format} takes them. */
    public static String names() {
        return Arrays.stream(values()).map(ReportFormat::cliName).collect(Collectors.joining(", "));
    }
}
