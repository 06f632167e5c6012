package dev.palisade.source;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why a file could not be read, in words a user can act on. The JDK's exceptions for a refused or vanished file
 * carry only the path in their message ({@code /srv/app/.env}), which says nothing a report does not already name.
 */
public final class ReadFailures {
    private ReadFailures() {}

    /** The reason alone: the caller names the file. */
    public static String why(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof FileSystemLoopException) {
            return "a loop of symbolic links";
        }
        if (e instanceof FileSystemException f
                && f.getReason() != null
                && !f.getReason().isBlank()) {
            return f.getReason(); // the system's own words: "Input/output error", "Is a directory"
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? "an input/output error" : message;
    }
}
