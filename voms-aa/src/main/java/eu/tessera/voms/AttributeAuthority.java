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
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VOMS attribute authority: answers a {@code /generate-ac} request from a holder whose certificate chain has
 * been validated, following the VOMS REST protocol (the C++ vomsd and INDIGO IAM's AA). Unknown certificate:
 * NoSuchUser; suspended or expired account, or an expired AUP signature: SuspendedUser; a requested FQAN the
 * account is not entitled to: BadRequest. Lifetime = min(requested or default, maximum), with a warning when
 * shortened; a warning too when the AUP signature expires soon, and when the request had unknown parameters.
 */
public final class AttributeAuthority {

    private static final Logger log = LoggerFactory.getLogger(AttributeAuthority.class);

    /** Finds the account a certificate (canonical subject and issuer DNs) is linked to. */
    @FunctionalInterface
    public interface AccountLookup {
        Optional<VomsAccount> find(String subjectDn, String issuerDn);
    }

    /**
     * @param vo              the VO name
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

    public AttributeAuthority(Settings settings, FqanResolver fqans, AttributeCertificateEncoder encoder,
            AccountLookup accounts) {
        this.settings = settings;
        this.fqans = fqans;
        this.encoder = encoder;
        this.accounts = accounts;
    }

    /** Issues an AC, or the VOMS error that explains why not. Never throws for bad input. */
    public VomsResponse issue(ValidatedChain holder, VomsRequest request, Instant now) {
        try {
            return doIssue(holder, request, now);
        } catch (VomsException e) {
            log.info("VOMS AC refused for {} ({}): {} {}", holder.subject(), holder.issuer(), e.error(),
                    e.getMessage());
            return new VomsResponse.Failure(e.error(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("VOMS AC issuance failed for {}", holder.subject(), e);
            return new VomsResponse.Failure(VomsError.InternalError, "Internal error: the AC could not be issued.");
        }
    }

    private VomsResponse doIssue(ValidatedChain holder, VomsRequest request, Instant now) throws VomsException {
        VomsAccount account = accounts.find(holder.subject(), holder.issuer())
                .orElseThrow(() -> new VomsException(VomsError.NoSuchUser,
                        "The certificate " + holder.subject() + " (issued by " + holder.issuer()
                                + ") is not linked to a member of the " + settings.vo() + " VO."));
        if (!account.usable()) {
            throw new VomsException(VomsError.SuspendedUser,
                    "The account " + account.username() + " is suspended in the " + settings.vo() + " VO.");
        }
        List<String> warnings = new ArrayList<>();
        if (account.aupExpiresAt().isPresent()) {
            Instant expires = account.aupExpiresAt().get();
            String where = settings.aupUrl() == null ? "" : " at " + settings.aupUrl();
            if (!expires.isAfter(now)) {
                throw new VomsException(VomsError.SuspendedUser, "The acceptable use policy of the "
                        + settings.vo() + " VO must be signed again" + where + " before attributes are issued.");
            }
            if (expires.isBefore(now.plus(settings.aupWarning()))) {
                warnings.add("Your signature of the " + settings.vo() + " acceptable use policy expires on "
                        + expires.truncatedTo(ChronoUnit.SECONDS) + "; sign it again" + where + ".");
            }
        }
        List<String> issued = fqans.resolve(account.memberships(), request.fqans());

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
        byte[] ac = encoder.encode(new AttributeCertificateRequest(holder.endEntity(), issued, account.attributes(),
                request.targets(), notBefore, notBefore.plus(lifetime), AttributeCertificateEncoder.randomSerial()));
        log.info("VOMS AC issued to account {} ({}) for {}: {} valid {} s", account.id(), account.username(),
                holder.subject(), issued, lifetime.toSeconds());
        return new VomsResponse.Success(ac, warnings);
    }

    public Settings settings() {
        return settings;
    }

    public AttributeCertificateEncoder encoder() {
        return encoder;
    }
}
