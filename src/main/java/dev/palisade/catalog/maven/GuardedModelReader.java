package dev.palisade.catalog.maven;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import org.apache.maven.model.Model;
import org.apache.maven.model.building.DefaultModelBuilderFactory;
import org.apache.maven.model.io.DefaultModelReader;
import org.apache.maven.model.io.ModelParseException;
import org.apache.maven.model.io.ModelReader;

/**
 * Reads every POM (the project's, its parents, imported BOMs, dependencies' POMs from repositories) within
 * a size limit and refuses document type declarations: a POM never needs one, and one is how entity
 * expansion and external entities get in.
 */
final class GuardedModelReader implements ModelReader {
    private final ModelReader delegate = new DefaultModelReader();
    private final long maxBytes;

    GuardedModelReader(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The model builder factory whose builders read through this reader. */
    DefaultModelBuilderFactory factory() {
        return new DefaultModelBuilderFactory() {
            @Override
            protected ModelReader newModelReader() {
                return GuardedModelReader.this;
            }
        };
    }

    @Override
    public Model read(File input, Map<String, ?> options) throws IOException {
        if (!Files.isRegularFile(input.toPath())) {
            // a named pipe or device would block or never end
            throw new IOException(input.getPath() + ": not a regular file");
        }
        if (Files.size(input.toPath()) > maxBytes) {
            throw tooLarge(input.getPath());
        }
        try (InputStream in = Files.newInputStream(input.toPath())) {
            return read(in, options);
        }
    }

    @Override
    public Model read(Reader input, Map<String, ?> options) throws IOException {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[8192];
        try (input) {
            for (int n; (n = input.read(buffer)) != -1; ) {
                text.append(buffer, 0, n);
                if (text.length() > maxBytes) {
                    throw tooLarge("a POM");
                }
            }
        }
        return checked(text.toString().getBytes(StandardCharsets.UTF_8), options);
    }

    @Override
    public Model read(InputStream input, Map<String, ?> options) throws IOException {
        byte[] bytes;
        try (input) {
            bytes = input.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        }
        if (bytes.length > maxBytes) {
            throw tooLarge("a POM");
        }
        return checked(bytes, options);
    }

    private Model checked(byte[] bytes, Map<String, ?> options) throws IOException {
        // a UTF-16 POM would hide the declaration from this test: POMs are UTF-8 or ASCII in practice
        String text = new String(bytes, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
        if (text.contains("<!DOCTYPE") || text.contains("<!ENTITY")) {
            throw new ModelParseException("a POM with a document type declaration is refused (entities)", 1, 1);
        }
        if (bytes.length >= 2 && (bytes[0] == (byte) 0xFE || bytes[0] == (byte) 0xFF || bytes[1] == 0)) {
            throw new ModelParseException("a POM that is not UTF-8 is refused", 1, 1);
        }
        return delegate.read(new ByteArrayInputStream(bytes), options);
    }

    private IOException tooLarge(String what) {
        return new IOException(what + " is larger than the limit of " + maxBytes + " bytes");
    }
}
