package dev.palisade.source;

import java.io.IOException;

/** A {@link ScanLimits} bound was reached while reading; the message names the limit and its value. */
public class LimitExceededException extends IOException {
    public LimitExceededException(String message) {
        super(message);
    }
}
