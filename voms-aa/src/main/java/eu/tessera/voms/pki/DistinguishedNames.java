package eu.tessera.voms.pki;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * One canonical text form for X.509 distinguished names: the OpenSSL "compat" slash form used by VOMS
 * ({@code .lsc} files, vomses) and Rucio ({@code /DC=org/DC=example/CN=Jane Doe}), most significant RDN first.
 * Names given in RFC 2253 form ({@code CN=Jane Doe,DC=example,DC=org}) or in slash form with any spacing or
 * attribute-name case normalize to the same string, so the same subject is one certificate identity.
 */
public final class DistinguishedNames {

    private static final Map<ASN1ObjectIdentifier, String> SHORT_NAMES = Map.ofEntries(
            Map.entry(BCStyle.C, "C"), Map.entry(BCStyle.O, "O"), Map.entry(BCStyle.OU, "OU"),
            Map.entry(BCStyle.CN, "CN"), Map.entry(BCStyle.L, "L"), Map.entry(BCStyle.ST, "ST"),
            Map.entry(BCStyle.DC, "DC"), Map.entry(BCStyle.UID, "UID"), Map.entry(BCStyle.E, "emailAddress"),
            Map.entry(BCStyle.STREET, "street"), Map.entry(BCStyle.SERIALNUMBER, "serialNumber"),
            Map.entry(BCStyle.T, "title"), Map.entry(BCStyle.GIVENNAME, "GN"), Map.entry(BCStyle.SURNAME, "SN"),
            Map.entry(BCStyle.POSTAL_CODE, "postalCode"), Map.entry(BCStyle.NAME, "name"));

    private static final Map<String, ASN1ObjectIdentifier> BY_NAME = Map.ofEntries(
            Map.entry("c", BCStyle.C), Map.entry("o", BCStyle.O), Map.entry("ou", BCStyle.OU),
            Map.entry("cn", BCStyle.CN), Map.entry("l", BCStyle.L), Map.entry("st", BCStyle.ST),
            Map.entry("dc", BCStyle.DC), Map.entry("uid", BCStyle.UID), Map.entry("userid", BCStyle.UID),
            Map.entry("emailaddress", BCStyle.E), Map.entry("email", BCStyle.E), Map.entry("e", BCStyle.E),
            Map.entry("street", BCStyle.STREET), Map.entry("serialnumber", BCStyle.SERIALNUMBER),
            Map.entry("title", BCStyle.T), Map.entry("t", BCStyle.T), Map.entry("gn", BCStyle.GIVENNAME),
            Map.entry("givenname", BCStyle.GIVENNAME), Map.entry("sn", BCStyle.SURNAME),
            Map.entry("surname", BCStyle.SURNAME), Map.entry("postalcode", BCStyle.POSTAL_CODE),
            Map.entry("name", BCStyle.NAME));

    private static final String EXAMPLES = "/DC=org/DC=example/CN=Jane Doe (OpenSSL form) or "
            + "CN=Jane Doe,DC=example,DC=org (RFC 2253)";

    /** The longest distinguished name accepted, in characters. */
    public static final int MAX_LENGTH = 2048;

    private DistinguishedNames() {
    }

    /** The canonical form of a principal. */
    public static String canonical(X500Principal principal) {
        return slashForm(X500Name.getInstance(principal.getEncoded()));
    }

    /**
     * The canonical form of a name written in RFC 2253 or OpenSSL slash form.
     *
     * @throws IllegalArgumentException when the text is not a distinguished name
     */
    public static String canonical(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty distinguished name");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("distinguished name longer than " + MAX_LENGTH + " characters");
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("/")) {
            return slashForm(parseSlashForm(trimmed));
        }
        try {
            return canonical(new X500Principal(trimmed));
        } catch (IllegalArgumentException e) {
            // the JDK's text ("improperly specified input name") helps nobody: say what is expected
            throw new IllegalArgumentException("not a distinguished name: write it as " + EXAMPLES);
        }
    }

    /**
     * The RFC 2253 form of a name given in either form, least significant RDN first, as Apache mod_ssl and current
     * Rucio write it ({@code CN=Jane Doe,DC=example,DC=org}); special characters escaped as RFC 4514 says.
     *
     * @throws IllegalArgumentException when the text is not a distinguished name
     */
    public static String rfc2253(String text) {
        canonical(text);   // validates
        String trimmed = text.strip();
        X500Name name = trimmed.startsWith("/") ? parseSlashForm(trimmed)
                : X500Name.getInstance(new X500Principal(trimmed).getEncoded());
        RDN[] rdns = name.getRDNs();
        StringBuilder out = new StringBuilder();
        for (int r = rdns.length - 1; r >= 0; r--) {
            if (out.length() > 0) {
                out.append(',');
            }
            AttributeTypeAndValue[] values = rdns[r].getTypesAndValues();
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    out.append('+');
                }
                ASN1ObjectIdentifier type = values[i].getType();
                String raw = values[i].getValue() instanceof org.bouncycastle.asn1.ASN1String string
                        ? string.getString() : IETFUtils.valueToString(values[i].getValue());
                out.append(SHORT_NAMES.getOrDefault(type, type.getId())).append('=').append(escape4514(raw));
            }
        }
        return out.toString();
    }

    private static String escape4514(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean special = ",+\"\\<>;".indexOf(c) >= 0 || c == '#' && i == 0
                    || c == ' ' && (i == 0 || i == value.length() - 1);
            if (special) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static X500Name parseSlashForm(String text) {
        // "/DC=org/DC=example/CN=host/www.example.org": a segment without "attr=" continues the previous value.
        List<String[]> parts = new ArrayList<>();
        for (String segment : text.substring(1).split("/", -1)) {
            int eq = segment.indexOf('=');
            String name = eq > 0 ? segment.substring(0, eq).strip().toLowerCase(Locale.ROOT) : null;
            if (name != null && BY_NAME.containsKey(name) || name != null && name.matches("[0-9]+(\\.[0-9]+)+")) {
                parts.add(new String[] {name, segment.substring(eq + 1).strip()});
            } else if (!parts.isEmpty()) {
                String[] last = parts.get(parts.size() - 1);
                last[1] = last[1] + "/" + segment;
            } else {
                throw new IllegalArgumentException("not a distinguished name: '" + segment + "' has no attribute name "
                        + "(such as CN=, O=, DC=); write it as " + EXAMPLES);
            }
        }
        RDN[] rdns = new RDN[parts.size()];
        for (int i = 0; i < rdns.length; i++) {
            String[] part = parts.get(i);
            if (part[1].isEmpty()) {
                throw new IllegalArgumentException("not a distinguished name: empty value for " + part[0]);
            }
            ASN1ObjectIdentifier oid = BY_NAME.getOrDefault(part[0], null);
            if (oid == null) {
                oid = new ASN1ObjectIdentifier(part[0]);
            }
            rdns[i] = new RDN(oid, BCStyle.INSTANCE.stringToValue(oid, part[1]));
        }
        return new X500Name(rdns);
    }

    private static String slashForm(X500Name name) {
        StringBuilder out = new StringBuilder();
        for (RDN rdn : name.getRDNs()) {
            AttributeTypeAndValue[] values = rdn.getTypesAndValues();
            for (int i = 0; i < values.length; i++) {
                out.append(i == 0 ? '/' : '+');
                ASN1ObjectIdentifier type = values[i].getType();
                out.append(SHORT_NAMES.getOrDefault(type, type.getId())).append('=')
                        .append(IETFUtils.valueToString(values[i].getValue()).replace("\\", ""));
            }
        }
        return out.toString();
    }
}
