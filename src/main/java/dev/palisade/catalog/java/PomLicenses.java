package dev.palisade.catalog.java;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The licences a {@code pom.xml} declares: the {@code name} of each {@code project/licenses/license}.
 * Only the project's own element counts; a parent's licences are not in the file. The XML is hostile:
 * no DTD, no external entities. One instance reads the poms of many archives and their nested archives,
 * on one thread, with one parser: setting a parser up costs more than parsing a small pom.
 */
final class PomLicenses {
    private static final int MAX_LICENSES = 16;
    private static final int MAX_NAME = 200;

    private @Nullable DocumentBuilder builder;

    List<String> read(byte[] pom) throws IOException {
        Document document;
        try {
            DocumentBuilder parser = builder();
            document = parser.parse(new ByteArrayInputStream(pom));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("pom.xml is not well-formed XML: " + e.getMessage(), e);
        }
        Element project = document.getDocumentElement();
        List<String> names = new ArrayList<>();
        for (Element licenses : children(project, "licenses")) {
            for (Element license : children(licenses, "license")) {
                for (Element name : children(license, "name")) {
                    String text = name.getTextContent().strip().replaceAll("\\s+", " ");
                    if (!text.isEmpty() && text.length() <= MAX_NAME && names.size() < MAX_LICENSES) {
                        names.add(text);
                    }
                }
            }
        }
        return names;
    }

    private DocumentBuilder builder() throws ParserConfigurationException {
        if (builder == null) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(false);
            builder = factory.newDocumentBuilder();
        } else {
            builder.reset();
        }
        builder.setErrorHandler(null);
        return builder;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }
}
