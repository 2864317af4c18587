package eu.tessera.voms.protocol;

import eu.tessera.voms.VomsError;
import eu.tessera.voms.VomsException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The legacy VOMS XML protocol, as far as the C++ client uses it: when a REST request does not get an AC,
 * voms-proxy-init2 retries on a new connection with {@code <voms><command>G/vo/group</command>...</voms>} and
 * shows the messages of the {@code <vomsans>} answer. Tessera answers it through the same attribute authority,
 * so refusals reach C++ users with their message instead of "Server Answer was incorrectly formatted".
 *
 * <p>Commands: {@code A} (all default attributes), {@code G/vo/group}, {@code R<role>} (role in the VO root group),
 * {@code B/vo/group:<role>}; several separated by commas. Error numbers: NoSuchUser 1001, SuspendedUser 1004,
 * BadRequest 1005, InternalError 1006 (above 1000 is an error for the client); warnings are numbered 1.
 */
public final class LegacyProtocol {

    /** Longest legacy request accepted. */
    public static final int MAX_REQUEST = 8192;

    private LegacyProtocol() {
    }

    /** Parses a legacy request for the VO {@code vo}. */
    public static VomsRequest parseRequest(String xml, String vo) throws VomsException {
        if (xml.length() > MAX_REQUEST) {
            throw new VomsException(VomsError.BadRequest, "The request is too long.");
        }
        Element root;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            var builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            Document document = builder.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            root = document.getDocumentElement();
        } catch (Exception e) {
            throw new VomsException(VomsError.BadRequest, "Malformed legacy VOMS request.");
        }
        if (!"voms".equals(root.getTagName())) {
            throw new VomsException(VomsError.BadRequest, "Malformed legacy VOMS request.");
        }
        List<String> fqans = new ArrayList<>();
        for (String command : text(root, "command").orElse("A").split(",")) {
            String c = command.strip();
            if (c.isEmpty() || c.equals("A")) {
                continue;
            }
            switch (c.charAt(0)) {
                case 'G' -> fqans.add(c.substring(1));
                case 'R' -> fqans.add("/" + vo + "/Role=" + c.substring(1));
                case 'B' -> {
                    int colon = c.indexOf(':');
                    if (colon < 0) {
                        throw new VomsException(VomsError.BadRequest, "Malformed command " + c + ".");
                    }
                    fqans.add(c.substring(1, colon) + "/Role=" + c.substring(colon + 1));
                }
                default -> throw new VomsException(VomsError.BadRequest, "Unsupported command " + c + ".");
            }
        }
        Set<String> ordered = new LinkedHashSet<>();
        for (String item : text(root, "order").orElse("").split(",")) {
            if (!item.isBlank()) {
                ordered.add(item.strip().replace(":", "/Role="));
            }
        }
        ordered.addAll(fqans);
        List<String> targets = new ArrayList<>();
        for (String item : text(root, "targets").orElse("").split(",")) {
            if (!item.isBlank()) {
                targets.add(item.strip());
            }
        }
        Optional<Duration> lifetime = Optional.empty();
        Optional<String> seconds = text(root, "lifetime");
        if (seconds.isPresent()) {
            try {
                long value = Long.parseLong(seconds.get().strip());
                lifetime = value > 0 ? Optional.of(Duration.ofSeconds(value)) : Optional.empty();
            } catch (NumberFormatException e) {
                throw new VomsException(VomsError.BadRequest, "lifetime must be a number of seconds.");
            }
        }
        return new VomsRequest(new ArrayList<>(ordered), lifetime, targets, List.of());
    }

    /** The {@code <vomsans>} answer. */
    public static String answer(VomsResponse response) {
        StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding = \"US-ASCII\"?><vomsans>"
                + "<version>3</version>");
        if (response instanceof VomsResponse.Failure failure) {
            out.append("<error><item><number>").append(number(failure.code())).append("</number><message>")
                    .append(escape(failure.message())).append("</message></item></error>")
                    .append("<ac>QQ==\n</ac>");
        } else if (response instanceof VomsResponse.Success success) {
            if (!success.warnings().isEmpty()) {
                out.append("<error>");
                for (String warning : success.warnings()) {
                    out.append("<item><number>1</number><message>").append(escape(warning))
                            .append("</message></item>");
                }
                out.append("</error>");
            }
            out.append("<ac>").append(Base64.getEncoder().encodeToString(success.ac())).append("</ac>");
        }
        return out.append("</vomsans>").toString();
    }

    static int number(VomsError error) {
        return switch (error) {
            case NoSuchUser -> 1001;
            case SuspendedUser -> 1004;
            case BadRequest -> 1005;
            case InternalError -> 1006;
        };
    }

    private static Optional<String> text(Element root, String name) {
        NodeList children = root.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node node = children.item(i);
            if (node instanceof Element element && name.equals(element.getTagName())) {
                return Optional.of(element.getTextContent());
            }
        }
        return Optional.empty();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
