package eu.tessera.server.voms;

import eu.tessera.server.account.AccountAttributeRepository;
import eu.tessera.server.account.AccountCertificateRepository;
import eu.tessera.server.account.AccountRepository;
import eu.tessera.server.group.GroupDirectory;
import eu.tessera.server.group.GroupMemberships;
import eu.tessera.voms.AttributeAuthority;
import eu.tessera.voms.VomsAccount;
import eu.tessera.voms.ac.GenericAttribute;
import eu.tessera.voms.fqan.FqanResolver.Membership;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.transaction.annotation.Transactional;

/**
 * Maps a certificate to the account it is linked to, with the account's status, current memberships (default
 * ones in group order, then optional ones) and attributes. AUP signatures do not exist yet (enrollment issue):
 * no AUP expiry is reported until they do.
 */
public class VomsAccountLookup implements AttributeAuthority.AccountLookup {

    private final AccountCertificateRepository certificates;
    private final AccountRepository accounts;
    private final AccountAttributeRepository attributes;
    private final GroupDirectory groups;
    private final Clock clock;
    private final String vo;

    public VomsAccountLookup(AccountCertificateRepository certificates, AccountRepository accounts,
            AccountAttributeRepository attributes, GroupDirectory groups, Clock clock, String vo) {
        this.certificates = certificates;
        this.accounts = accounts;
        this.attributes = attributes;
        this.groups = groups;
        this.clock = clock;
        this.vo = vo;
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<VomsAccount> find(String subjectDn, String issuerDn) {
        return certificates.findBySubjectDnAndIssuerDn(subjectDn, issuerDn)
                .flatMap(certificate -> accounts.findById(certificate.getAccountId()))
                .map(account -> {
                    GroupMemberships memberships = groups.membershipsOf(account.getId());
                    List<Membership> list = new ArrayList<>();
                    memberships.defaultGroups().forEach(path -> list.add(new Membership(path, false)));
                    memberships.entitledGroups().stream().filter(path -> !memberships.defaultGroups().contains(path))
                            .sorted().forEach(path -> list.add(new Membership(path, true)));
                    List<GenericAttribute> generic = attributes.findByKeyAccountIdOrderByKeyName(account.getId())
                            .stream().map(a -> new GenericAttribute(a.getName(), a.getValue(), vo)).toList();
                    return new VomsAccount(account.getId(), account.getUsername(), account.isUsable(clock.instant()),
                            list, generic, Optional.empty());
                });
    }
}
