package dev.palisade.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Stderr with a progress line: each progress message replaces the last, and anything else written to
 * stderr (a warning, an error, a debug line) first clears the line, so it never ends up glued to the
 * end of a progress message.
 */
final class StatusLine extends PrintStream {
    /** Carriage return, then erase to the end of the line. */
    static final String CLEAR = "\r\033[K";

    private boolean shown;

    StatusLine(OutputStream err) {
        super(err, true, StandardCharsets.UTF_8);
    }

    /** Replaces the progress line with {@code message} (already made safe for a terminal). */
    synchronized void show(String message) {
        try {
            out.write((CLEAR + message).getBytes(StandardCharsets.UTF_8));
            out.flush();
            shown = true;
        } catch (java.io.IOException e) {
            setError();
        }
    }

    /** Clears the progress line, if one is shown. */
    synchronized void clear() {
        if (shown) {
            shown = false;
            try {
                out.write(CLEAR.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (java.io.IOException e) {
                setError();
            }
        }
    }

    @Override
    public synchronized void write(int b) {
        clear();
        super.write(b);
    }

    @Override
    public synchronized void write(byte[] buffer, int offset, int length) {
        clear();
        super.write(buffer, offset, length);
    }
}
