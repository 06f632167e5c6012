package dev.palisade.catalog;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Decodes file content as UTF-8, telling whether bytes had to be replaced. */
public final class TextDecoding {
    private TextDecoding() {}

    /** The text, with U+FFFD for every invalid byte sequence. */
    public static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The complete lines of a file a tool writes line by line, each ending with a line break: a last
     * line without one means the file was cut short, and that line is left out with a problem reported.
     */
    public static String completeLines(String text, String path, CatalogContext context) {
        if (text.isEmpty() || text.endsWith("\n")) {
            return text;
        }
        int lastBreak = text.lastIndexOf('\n');
        context.problem(
                path,
                "does not end with a line break: the file seems cut short; its last line, line "
                        + (text.chars().filter(c -> c == '\n').count() + 1) + ", was not read");
        return text.substring(0, lastBreak + 1);
    }

    public static boolean isValidUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
