package eu.tessera.voms;

import eu.tessera.voms.ac.GenericAttribute;
import eu.tessera.voms.fqan.FqanResolver.Membership;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the attribute authority needs to know of the account a certificate is linked to.
 *
 * @param id           the account id
 * @param username     for logs and messages
 * @param usable       false when the account is suspended or past its end time
 * @param memberships  current (not expired) memberships, in the VO's group order
 * @param attributes   account attributes, issued as VOMS generic attributes
 * @param aupExpiresAt when the account's AUP signature expires; empty when the VO has no AUP or the account
 *                     needs none (service accounts)
 */
public record VomsAccount(String id, String username, boolean usable, List<Membership> memberships,
        List<GenericAttribute> attributes, Optional<Instant> aupExpiresAt) {

    public VomsAccount {
        memberships = List.copyOf(memberships);
        attributes = List.copyOf(attributes);
    }
}
