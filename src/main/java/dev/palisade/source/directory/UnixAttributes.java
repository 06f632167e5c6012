package dev.palisade.source.directory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/** A local file's permission bits and owner, never following a link; all 0 where the file system has none. */
record UnixAttributes(int mode, long uid, long gid) {
    static UnixAttributes of(Path path) {
        try {
            Map<String, Object> unix = Files.readAttributes(path, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
            return new UnixAttributes(
                    unix.get("mode") instanceof Number m ? m.intValue() : 0,
                    unix.get("uid") instanceof Number u ? u.longValue() : 0,
                    unix.get("gid") instanceof Number g ? g.longValue() : 0);
        } catch (IOException | UnsupportedOperationException e) {
            return new UnixAttributes(0, 0, 0); // no unix attributes here: permissions stay unknown
        }
    }
}
