package eu.tessera.voms.fqan;

import eu.tessera.voms.VomsError;
import eu.tessera.voms.VomsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides the FQANs of an attribute certificate from an account's group memberships and the FQANs the client
 * asked for (VOMS AC specification; INDIGO IAM's attribute resolver). Default memberships of groups under
 * {@code /<vo>} become group FQANs and are always included; optional memberships are included only when
 * requested, encoded as roles ({@code /vo/a/b} optional -> {@code /vo/a/Role=b}) or as groups, per
 * {@link OptionalGroupEncoding}. Requested FQANs come first, in request order; the rest follow in the VO's
 * group order. A requested FQAN the account is not entitled to is refused.
 */
public final class FqanResolver {

    /** How optional memberships appear in ACs. */
    public enum OptionalGroupEncoding {
        /** Optional group {@code /vo/a/b} is the role FQAN {@code /vo/a/Role=b} (the VOMS role of the old VOMS servers). */
        ROLE,
        /** Optional group {@code /vo/a/b} is the group FQAN {@code /vo/a/b}, included when requested. */
        GROUP
    }

    /** One current membership of the account: the Tessera group path and whether it is optional. */
    public record Membership(String groupPath, boolean optional) {
    }

    private final String vo;
    private final OptionalGroupEncoding optionalGroups;
    private final boolean legacyEncoding;

    public FqanResolver(String vo, OptionalGroupEncoding optionalGroups, boolean legacyEncoding) {
        this.vo = vo;
        this.optionalGroups = optionalGroups;
        this.legacyEncoding = legacyEncoding;
    }

    /** The same rules for another VO served by the same AA. */
    public FqanResolver forVo(String otherVo) {
        return otherVo.equals(vo) ? this : new FqanResolver(otherVo, optionalGroups, legacyEncoding);
    }

    /** The VO whose FQANs this resolver issues. */
    public String vo() {
        return vo;
    }

    /**
     * The FQANs to put in the AC, primary first.
     *
     * @param memberships the account's current memberships, in the VO's group order (parents first)
     * @param requested   FQANs as the client sent them ({@code order} first), possibly empty
     * @throws VomsException NoSuchUser when the account has no default membership in the VO, BadRequest when a
     *                       requested FQAN is malformed or not one the account is entitled to
     */
    public List<String> resolve(List<Membership> memberships, List<String> requested) throws VomsException {
        Map<Fqan, Boolean> entitled = new LinkedHashMap<>();   // FQAN -> is default
        for (Membership membership : memberships) {
            Fqan fqan = toFqan(membership);
            if (fqan != null) {
                entitled.merge(fqan, !membership.optional(), Boolean::logicalOr);
            }
        }
        List<Fqan> defaults = entitled.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
        if (defaults.isEmpty()) {
            throw new VomsException(VomsError.NoSuchUser, "You are not a member of the " + vo + " VO.");
        }
        Set<Fqan> result = new LinkedHashSet<>();
        for (String text : requested) {
            if (text.equals("all")) {
                continue;   // the C++ client's "everything by default"
            }
            Fqan fqan;
            try {
                fqan = Fqan.parse(text);
            } catch (IllegalArgumentException e) {
                throw new VomsException(VomsError.BadRequest, "Malformed FQAN: " + text);
            }
            if (fqan.role() == null && fqan.group().equals("/" + vo) && !entitled.containsKey(fqan)) {
                continue;   // "/vo" is what clients send when no FQAN was asked for
            }
            if (!entitled.containsKey(fqan)) {
                throw new VomsException(VomsError.BadRequest,
                        "You are not entitled to the attribute " + fqan.shortForm() + " in the " + vo + " VO.");
            }
            result.add(fqan);
        }
        result.addAll(defaults);
        List<String> out = new ArrayList<>(result.size());
        for (Fqan fqan : result) {
            out.add(legacyEncoding ? fqan.legacyForm() : fqan.shortForm());
        }
        return out;
    }

    private Fqan toFqan(Membership membership) {
        String path = membership.groupPath();
        String root = "/" + vo;
        if (!path.equals(root) && !path.startsWith(root + "/")) {
            return null;
        }
        try {
            if (membership.optional() && optionalGroups == OptionalGroupEncoding.ROLE && !path.equals(root)) {
                int last = path.lastIndexOf('/');
                return new Fqan(path.substring(0, last), path.substring(last + 1));
            }
            return new Fqan(path, null);
        } catch (IllegalArgumentException e) {
            return null;   // a group name VOMS cannot express
        }
    }
}
