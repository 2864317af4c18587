package eu.tessera.voms;

import eu.tessera.voms.ac.AttributeCertificateEncoder;
import eu.tessera.voms.ac.AttributeCertificateRequest;
import eu.tessera.voms.fqan.FqanResolver;
import eu.tessera.voms.pki.ValidatedChain;
import eu.tessera.voms.protocol.VomsRequest;
import eu.tessera.voms.protocol.VomsResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import eu.tessera.voms.ac.GenericAttribute;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VOMS attribute authority: answers a {@code /generate-ac} request from a holder whose certificate chain has
 * been validated, following the VOMS REST protocol (the C++ vomsd and INDIGO IAM's AA). Unknown certificate:
 * NoSuchUser; suspended or expired account, or an expired AUP signature: SuspendedUser; a requested FQAN the
 * account is not entitled to: BadRequest. Lifetime = min(requested or default, maximum), with a warning when
 * shortened; a warning too when the AUP signature expires soon, and when the request had unknown parameters.
 *
 * <p>One AA may serve several VOs ({@link Vos}): each AC names its own VO in the FQANs and the policy authority
 * {@code vo://host:port}, signed with the same AA certificate. The VO of a request is the one of the port it arrived
 * on, else the root of the FQANs asked for (both {@code voms-proxy-init --voms cms} send {@code /cms}), else (a
 * request naming none, e.g. {@code fqans=all}) the one VO served here the account belongs to; several: BadRequest
 * asking to name one. A VO with its own AUP addendum refuses ACs until the member has signed it.
 */
public final class AttributeAuthority {

    private static final Logger log = LoggerFactory.getLogger(AttributeAuthority.class);

    /** Finds the account a certificate (canonical subject and issuer DNs) is linked to. */
    @FunctionalInterface
    public interface AccountLookup {
        Optional<VomsAccount> find(String subjectDn, String issuerDn);
    }

    /** A VO this AA serves: its name (the root of its FQANs) and the port in its ACs' policy authority. */
    public record Vo(String name, int port) {
    }

    /** The VOs served now (admins may mark new ones at any time) and their AUP addenda. */
    public interface Vos {
        /** Every VO served, the default one ({@link Settings#vo()}) among them. */
        List<Vo> served();

        /**
         * When the account's signature of the VO's own AUP addendum stops counting: empty when the VO has none (or
         * the account needs none); {@link Instant#EPOCH} when the version in force is not signed.
         */
        default Optional<Instant> addendumExpiry(String accountId, String vo) {
            return Optional.empty();
        }
    }

    /**
     * @param vo              the default VO name
     * @param defaultLifetime the AC lifetime when the client does not ask for one
     * @param maxLifetime     the longest AC lifetime issued
     * @param aupWarning      warn when the AUP signature expires within this period
     * @param aupUrl          where users sign the AUP (named in messages), may be null
     */
    public record Settings(String vo, Duration defaultLifetime, Duration maxLifetime, Duration aupWarning,
            String aupUrl) {
    }

    private final Settings settings;
    private final FqanResolver fqans;
    private final AttributeCertificateEncoder encoder;
    private final AccountLookup accounts;
    private final Vos vos;

    /** An AA for one VO, {@code settings.vo()}. */
    public AttributeAuthority(Settings settings, FqanResolver fqans, AttributeCertificateEncoder encoder,
            AccountLookup accounts) {
        this(settings, fqans, encoder, accounts, () -> List.of(new Vo(settings.vo(), encoder.port())));
    }

    /**
     * An AA for the VOs {@code vos} serves.
     *
     * @param fqans   the FQAN rules (its VO is the default one; the others get the same rules)
     * @param encoder signs for every VO (its policy authority host is shared)
     */
    public AttributeAuthority(Settings settings, FqanResolver fqans, AttributeCertificateEncoder encoder,
            AccountLookup accounts, Vos vos) {
        this.settings = settings;
        this.fqans = fqans;
        this.encoder = encoder;
        this.accounts = accounts;
        this.vos = vos;
    }

    /** Issues an AC, or the VOMS error that explains why not. Never throws for bad input. */
    public VomsResponse issue(ValidatedChain holder, VomsRequest request, Instant now) {
        return issue(holder, request, now, null);
    }

    /**
     * Issues an AC for the VO of the port the request arrived on ({@code boundVo}; null: the port serves every VO),
     * or the VOMS error that explains why not. Never throws for bad input.
     */
    public VomsResponse issue(ValidatedChain holder, VomsRequest request, Instant now, String boundVo) {
        try {
            return doIssue(holder, request, now, boundVo);
        } catch (VomsException e) {
            log.info("VOMS AC refused for {} ({}): {} {}", holder.subject(), holder.issuer(), e.error(),
                    e.getMessage());
            return new VomsResponse.Failure(e.error(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("VOMS AC issuance failed for {}", holder.subject(), e);
            return new VomsResponse.Failure(VomsError.InternalError, "Internal error: the AC could not be issued.");
        }
    }

    private VomsResponse doIssue(ValidatedChain holder, VomsRequest request, Instant now, String boundVo)
            throws VomsException {
        Map<String, Vo> served = new LinkedHashMap<>();
        for (Vo vo : vos.served()) {
            served.putIfAbsent(vo.name(), vo);
        }
        Optional<String> asked = askedVo(request, boundVo, served);
        String named = asked.orElse(served.size() == 1 ? served.keySet().iterator().next() : null);
        VomsAccount account = accounts.find(holder.subject(), holder.issuer())
                .orElseThrow(() -> new VomsException(VomsError.NoSuchUser,
                        "The certificate " + holder.subject() + " (issued by " + holder.issuer()
                                + ") is not linked to a member of " + (named == null ? "a VO served here"
                                : "the " + named + " VO") + "."));
        Vo vo = served.get(asked.isPresent() ? asked.get() : inferredVo(account, served));
        if (!account.usable()) {
            throw new VomsException(VomsError.SuspendedUser,
                    "The account " + account.username() + " is suspended in the " + vo.name() + " VO.");
        }
        List<String> warnings = new ArrayList<>();
        checkSignature(account.aupExpiresAt(), vo.name() + " acceptable use policy",
                settings.aupUrl(), now, warnings);
        checkSignature(vos.addendumExpiry(account.id(), vo.name()), vo.name() + " addendum to the acceptable use "
                + "policy", settings.aupUrl(), now, warnings);
        List<String> issued = fqans.forVo(vo.name()).resolve(account.memberships(), request.fqans());

        Duration lifetime = request.lifetime().orElse(settings.defaultLifetime());
        if (lifetime.compareTo(settings.maxLifetime()) > 0) {
            lifetime = settings.maxLifetime();
            warnings.add("The validity of this VOMS AC in your proxy is shortened to " + lifetime.toSeconds()
                    + " seconds!");
        }
        if (!request.unknown().isEmpty()) {
            warnings.add("Unknown parameters in the request were ignored: " + String.join(", ", request.unknown()));
        }
        Instant notBefore = now.truncatedTo(ChronoUnit.SECONDS);
        List<GenericAttribute> attributes = account.attributes().stream()
                .map(a -> new GenericAttribute(a.name(), a.value(), vo.name())).toList();
        byte[] ac = encoder.encode(new AttributeCertificateRequest(holder.endEntity(), issued, attributes,
                request.targets(), notBefore, notBefore.plus(lifetime), AttributeCertificateEncoder.randomSerial()),
                encoder.policyAuthority(vo.name(), vo.port()));
        log.info("VOMS AC issued to account {} ({}) for {}: {} valid {} s", account.id(), account.username(),
                holder.subject(), issued, lifetime.toSeconds());
        return new VomsResponse.Success(ac, warnings);
    }

    /** A signature that must be current: refused when expired or missing, a warning when it expires soon. */
    private void checkSignature(Optional<Instant> expiry, String what, String url, Instant now, List<String> warnings)
            throws VomsException {
        if (expiry.isEmpty()) {
            return;
        }
        Instant expires = expiry.get();
        String where = url == null ? "" : " at " + url;
        if (!expires.isAfter(now)) {
            throw new VomsException(VomsError.SuspendedUser, "The " + what + " must be signed"
                    + (expires.equals(Instant.EPOCH) ? "" : " again") + where + " before attributes are issued.");
        }
        if (expires.isBefore(now.plus(settings.aupWarning()))) {
            warnings.add("Your signature of the " + what + " expires on " + expires.truncatedTo(ChronoUnit.SECONDS)
                    + "; sign it again" + where + ".");
        }
    }

    /**
     * The VO the request names: the port's, or the root of its FQANs ({@code all} names none). A VO not served
     * here, FQANs of two VOs, or FQANs of another VO than the port's: BadRequest.
     */
    private Optional<String> askedVo(VomsRequest request, String boundVo, Map<String, Vo> served)
            throws VomsException {
        String vo = boundVo;
        for (String text : request.fqans()) {
            if (text.equals("all")) {
                continue;
            }
            String root;
            try {
                root = eu.tessera.voms.fqan.Fqan.parse(text).vo();
            } catch (IllegalArgumentException e) {
                throw new VomsException(VomsError.BadRequest, "Malformed FQAN: " + text);
            }
            if (vo != null && !vo.equals(root)) {
                throw new VomsException(VomsError.BadRequest, boundVo != null
                        ? "This port serves the " + boundVo + " VO; " + text + " is not one of its attributes."
                        : "One VO per request: " + text + " is not in the " + vo + " VO.");
            }
            vo = root;
        }
        if (vo != null && !served.containsKey(vo)) {
            throw new VomsException(VomsError.BadRequest, "This server does not serve the VO " + vo + " (it serves "
                    + String.join(", ", served.keySet()) + ").");
        }
        return Optional.ofNullable(vo);
    }

    /** The VO of a request that names none: the one served VO the account is a member of. */
    private String inferredVo(VomsAccount account, Map<String, Vo> served) throws VomsException {
        if (served.size() == 1) {
            return served.keySet().iterator().next();
        }
        Set<String> mine = new LinkedHashSet<>();
        for (FqanResolver.Membership membership : account.memberships()) {
            if (!membership.optional()) {
                String root = membership.groupPath().substring(1).split("/", 2)[0];
                if (served.containsKey(root)) {
                    mine.add(root);
                }
            }
        }
        if (mine.size() == 1) {
            return mine.iterator().next();
        }
        if (mine.isEmpty()) {
            throw new VomsException(VomsError.NoSuchUser, "You are not a member of any VO served here ("
                    + String.join(", ", served.keySet()) + ").");
        }
        String example = mine.iterator().next();
        throw new VomsException(VomsError.BadRequest, "You are a member of several VOs served here ("
                + String.join(", ", mine) + "): name one, e.g. voms-proxy-init --voms " + example + ":/" + example
                + ", or use the VO's own vomses line.");
    }

    public Settings settings() {
        return settings;
    }

    public AttributeCertificateEncoder encoder() {
        return encoder;
    }
}
