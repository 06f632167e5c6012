package dev.palisade.report;

import java.io.IOException;
import java.io.OutputStream;

/** Writes a report in one format. Writers format; they never decide what is found or how bad it is. */
public interface ReportWriter {
    String format();

    void write(ScanReport report, OutputStream out) throws IOException;
}
