package eu.tessera.voms.protocol;

import eu.tessera.voms.VomsError;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The XML answer of the VOMS REST protocol: {@code <voms><ac>base64</ac><warning>..</warning>*</voms>} on
 * success, {@code <voms><error><code>..</code><message>..</message></error></voms>} on failure (the C++ vomsd
 * form, string codes).
 */
public sealed interface VomsResponse {

    /** The response body. */
    String toXml();

    /** The HTTP status to send it with. */
    int httpStatus();

    /** An issued AC and the warnings about it. */
    record Success(byte[] ac, List<String> warnings) implements VomsResponse {

        public Success {
            ac = ac.clone();
            warnings = List.copyOf(warnings);
        }

        @Override
        public byte[] ac() {
            return ac.clone();
        }

        @Override
        public String toXml() {
            StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<voms>\n<ac>");
            out.append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(ac)).append("</ac>\n");
            for (String warning : warnings) {
                out.append("<warning>").append(escape(warning)).append("</warning>\n");
            }
            return out.append("</voms>\n").toString();
        }

        @Override
        public int httpStatus() {
            return 200;
        }
    }

    /** A refusal. */
    record Failure(VomsError code, String message) implements VomsResponse {

        @Override
        public String toXml() {
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<voms>\n<error>\n<code>" + code.name()
                    + "</code>\n<message>" + escape(message) + "</message>\n</error>\n</voms>\n";
        }

        @Override
        public int httpStatus() {
            return code.httpStatus();
        }
    }

    /**
     * Parses a response body, as a client does, with a parser that refuses DOCTYPEs and external entities.
     *
     * @throws IllegalArgumentException when the body is not a VOMS response
     */
    static VomsResponse parse(String xml) {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            document = builder.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalArgumentException("not a VOMS response: " + e.getMessage(), e);
        }
        Element root = document.getDocumentElement();
        if (!"voms".equals(localName(root))) {
            throw new IllegalArgumentException("not a VOMS response: root element " + localName(root));
        }
        Element error = child(root, "error");
        if (error != null) {
            Element code = child(error, "code");
            Element message = child(error, "message");
            VomsError parsed;
            try {
                parsed = VomsError.valueOf(code == null ? "" : code.getTextContent().strip());
            } catch (IllegalArgumentException e) {
                parsed = VomsError.InternalError;
            }
            return new Failure(parsed, message == null ? "" : message.getTextContent().strip());
        }
        Element ac = child(root, "ac");
        if (ac == null) {
            throw new IllegalArgumentException("not a VOMS response: neither <ac> nor <error>");
        }
        List<String> warnings = new ArrayList<>();
        NodeList children = root.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element element && "warning".equals(localName(element))) {
                warnings.add(element.getTextContent().strip());
            }
        }
        return new Success(Base64.getMimeDecoder().decode(ac.getTextContent().strip()), warnings);
    }

    private static Element child(Element parent, String name) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node node = children.item(i);
            if (node instanceof Element element && name.equals(localName(element))) {
                return element;
            }
        }
        return null;
    }

    private static String localName(Element element) {
        return element.getLocalName() != null ? element.getLocalName() : element.getTagName();
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return out.toString();
    }
}
