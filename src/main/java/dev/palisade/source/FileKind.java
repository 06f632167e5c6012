package dev.palisade.source;

/** What an entry of a file tree is. Devices, FIFOs and sockets are {@link #OTHER}. */
public enum FileKind {
    FILE,
    DIRECTORY,
    SYMLINK,
    HARDLINK,
    OTHER
}
