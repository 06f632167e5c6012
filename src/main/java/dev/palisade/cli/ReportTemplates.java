package dev.palisade.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Reads the file {@code --template} names; {@code @FILE} is accepted as Trivy writes it. */
final class ReportTemplates {
    static final long MAX_BYTES = 1024 * 1024;

    private ReportTemplates() {}

    static String read(String argument) throws IOException {
        String name = argument.startsWith("@") ? argument.substring(1) : argument;
        Path file = Paths.get(name);
        try {
            if (!Files.exists(file)) {
                throw new IOException("template " + name + " does not exist");
            }
            if (!Files.isRegularFile(file)) {
                throw new IOException("template " + name + " is not a file");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new IOException("template " + name + " is larger than " + MAX_BYTES + " bytes");
            }
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (NoSuchFileException e) {
            throw new IOException("template " + name + " does not exist", e);
        } catch (CharacterCodingException e) {
            throw new IOException("template " + name + " is not UTF-8 text", e);
        }
    }
}
