package eu.tessera.voms;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.voms.ac.AttributeCertificateEncoder;
import eu.tessera.voms.ac.GenericAttribute;
import eu.tessera.voms.fqan.FqanResolver;
import eu.tessera.voms.fqan.FqanResolver.Membership;
import eu.tessera.voms.pki.ValidatedChain;
import eu.tessera.voms.protocol.VomsRequest;
import eu.tessera.voms.protocol.VomsResponse;
import eu.tessera.voms.testpki.TestPki;
import eu.tessera.voms.testpki.TestPki.Credential;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.cert.X509AttributeCertificateHolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AttributeAuthorityTest {

    static Credential user;
    static AttributeAuthority authority;
    static final Map<String, VomsAccount> ACCOUNTS = new HashMap<>();
    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    static final List<Membership> MEMBER = List.of(new Membership("/escape", false),
            new Membership("/escape/cms", false), new Membership("/escape/data-manager", true));

    @BeforeAll
    static void setUp() {
        Credential ca = TestPki.ca("C=IT,O=Tessera Test,CN=Tessera Test CA");
        Credential aa = TestPki.endEntity(ca, "C=IT,O=Tessera Test,CN=localhost", true);
        user = TestPki.endEntity(ca, "C=IT,O=Tessera Test,CN=Jane Doe", false, NOW.minusSeconds(3600),
                NOW.plus(Duration.ofDays(5)));
        authority = new AttributeAuthority(new AttributeAuthority.Settings("escape", Duration.ofHours(12),
                Duration.ofHours(24), Duration.ofDays(15), "https://tessera.example/aup"),
                new FqanResolver("escape", FqanResolver.OptionalGroupEncoding.ROLE, false),
                new AttributeCertificateEncoder(aa.key(), List.of(aa.certificate()), "escape", "localhost", 15000),
                (subject, issuer) -> Optional.ofNullable(ACCOUNTS.get(subject + "|" + issuer)));
    }

    private static VomsResponse issue(VomsAccount account, String query) throws VomsException {
        ACCOUNTS.clear();
        if (account != null) {
            ACCOUNTS.put("/C=IT/O=Tessera Test/CN=Jane Doe|/C=IT/O=Tessera Test/CN=Tessera Test CA", account);
        }
        return authority.issue(new ValidatedChain(user.certificate(), List.of(), List.of()), VomsRequest.parse(query),
                NOW);
    }

    private static VomsAccount jane(boolean usable, Optional<Instant> aup) {
        return new VomsAccount("id-1", "jane", usable, MEMBER, List.of(new GenericAttribute("nickname", "jane", "")),
                aup);
    }

    @Test
    void issuesTheAcWithRequestedFqansFirstAndTheDefaultLifetime() throws Exception {
        VomsResponse response = issue(jane(true, Optional.empty()), "fqans=/escape/Role=data-manager");
        assertThat(response).isInstanceOfSatisfying(VomsResponse.Success.class, success -> {
            assertThat(success.warnings()).isEmpty();
            X509AttributeCertificateHolder ac = holder(success);
            assertThat(ac.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(12)));
            assertThat(ac.getNotBefore().toInstant()).isEqualTo(NOW);
            assertThat(new String(ac.getAttributes()[0].getAttrValues().getObjectAt(0).toASN1Primitive()
                    .toString())).contains("2f6573636170652f526f6c653d646174612d6d616e61676572");   // hex of the FQAN
        });
    }

    @Test
    void lifetimeIsCappedWithAWarning() throws Exception {
        VomsResponse response = issue(jane(true, Optional.empty()), "lifetime=999999&bogus=1");
        assertThat(response).isInstanceOfSatisfying(VomsResponse.Success.class, success -> {
            assertThat(holder(success).getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(24)));
            assertThat(success.warnings()).containsExactly(
                    "The validity of this VOMS AC in your proxy is shortened to 86400 seconds!",
                    "Unknown parameters in the request were ignored: bogus");
        });
        VomsResponse shorter = issue(jane(true, Optional.empty()), "lifetime=600");
        assertThat(holder((VomsResponse.Success) shorter).getNotAfter().toInstant()).isEqualTo(NOW.plusSeconds(600));
    }

    @Test
    void refusals() throws Exception {
        assertThat(issue(null, "")).isInstanceOfSatisfying(VomsResponse.Failure.class, f -> {
            assertThat(f.code()).isEqualTo(VomsError.NoSuchUser);
            assertThat(f.message()).contains("/C=IT/O=Tessera Test/CN=Jane Doe");
        });
        assertThat(issue(jane(false, Optional.empty()), "")).isEqualTo(new VomsResponse.Failure(
                VomsError.SuspendedUser, "The account jane is suspended in the escape VO."));
        assertThat(issue(jane(true, Optional.empty()), "fqans=/escape/atlas")).isEqualTo(new VomsResponse.Failure(
                VomsError.BadRequest, "You are not entitled to the attribute /escape/atlas in the escape VO."));
    }

    @Test
    void aupExpiredRefusesAndExpiringWarns() throws Exception {
        assertThat(issue(jane(true, Optional.of(NOW.minusSeconds(1))), "")).isInstanceOfSatisfying(
                VomsResponse.Failure.class, f -> {
                    assertThat(f.code()).isEqualTo(VomsError.SuspendedUser);
                    assertThat(f.message()).contains("acceptable use policy").contains("https://tessera.example/aup");
                });
        assertThat(issue(jane(true, Optional.of(NOW.plus(Duration.ofDays(3)))), "")).isInstanceOfSatisfying(
                VomsResponse.Success.class, s -> assertThat(s.warnings()).singleElement().asString()
                        .contains("expires on 2026-11-28T10:00:00Z"));
        assertThat(issue(jane(true, Optional.of(NOW.plus(Duration.ofDays(30)))), "")).isInstanceOfSatisfying(
                VomsResponse.Success.class, s -> assertThat(s.warnings()).isEmpty());
    }

    private static X509AttributeCertificateHolder holder(VomsResponse.Success success) {
        try {
            return new X509AttributeCertificateHolder(success.ac());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void internalErrorsDoNotLeakDetails() throws Exception {
        AttributeAuthority failing = new AttributeAuthority(authority.settings(),
                new FqanResolver("escape", FqanResolver.OptionalGroupEncoding.ROLE, false), authority.encoder(),
                (subject, issuer) -> {
                    throw new IllegalStateException("database password=secret unreachable");
                });
        VomsResponse response = failing.issue(new ValidatedChain(user.certificate(), List.of(), List.of()),
                VomsRequest.parse(""), NOW);
        assertThat(response).isEqualTo(new VomsResponse.Failure(VomsError.InternalError,
                "Internal error: the AC could not be issued."));
        assertThat(response.httpStatus()).isEqualTo(500);
    }

    /** One AA for three VOs: escape (default), cms on the shared port, lofar on its own port with an addendum. */
    @Test
    void severalVosEachAcNamesItsOwnVoAndPolicyAuthority() throws Exception {
        Map<String, Instant> addenda = new HashMap<>();
        AttributeAuthority shared = new AttributeAuthority(authority.settings(),
                new FqanResolver("escape", FqanResolver.OptionalGroupEncoding.ROLE, false), authority.encoder(),
                (subject, issuer) -> Optional.ofNullable(ACCOUNTS.get(subject + "|" + issuer)),
                new AttributeAuthority.Vos() {
                    @Override
                    public List<AttributeAuthority.Vo> served() {
                        return List.of(new AttributeAuthority.Vo("escape", 15000), new AttributeAuthority.Vo("cms", 15000),
                                new AttributeAuthority.Vo("lofar", 15002));
                    }

                    @Override
                    public Optional<Instant> addendumExpiry(String accountId, String vo) {
                        return Optional.ofNullable(addenda.get(vo));
                    }
                });
        VomsAccount both = new VomsAccount("id-2", "jane", true, List.of(new Membership("/cms", false),
                new Membership("/cms/production", true), new Membership("/lofar", false),
                new Membership("/lofar/survey", false)), List.of(new GenericAttribute("nickname", "jane", "")),
                Optional.empty());
        ACCOUNTS.clear();
        ACCOUNTS.put("/C=IT/O=Tessera Test/CN=Jane Doe|/C=IT/O=Tessera Test/CN=Tessera Test CA", both);
        ValidatedChain chain = new ValidatedChain(user.certificate(), List.of(), List.of());

        VomsResponse cms = shared.issue(chain, VomsRequest.parse("fqans=/cms/Role=production"), NOW);
        assertThat(fqanAttribute(cms)).contains("cms://localhost:15000", "/cms/Role=production", "/cms")
                .doesNotContain("lofar");
        // the port of a VO decides even when nothing is asked for; an FQAN of another VO there is refused
        VomsResponse lofar = shared.issue(chain, VomsRequest.parse("fqans=all"), NOW, "lofar");
        assertThat(fqanAttribute(lofar)).contains("lofar://localhost:15002", "/lofar/survey").doesNotContain("/cms");
        assertThat(shared.issue(chain, VomsRequest.parse("fqans=/cms"), NOW, "lofar")).isEqualTo(
                new VomsResponse.Failure(VomsError.BadRequest,
                        "This port serves the lofar VO; /cms is not one of its attributes."));
        assertThat(shared.issue(chain, VomsRequest.parse("fqans=/cms,/lofar"), NOW)).isEqualTo(
                new VomsResponse.Failure(VomsError.BadRequest, "One VO per request: /lofar is not in the cms VO."));
        assertThat(shared.issue(chain, VomsRequest.parse("fqans=/atlas"), NOW)).isEqualTo(new VomsResponse.Failure(
                VomsError.BadRequest, "This server does not serve the VO atlas (it serves escape, cms, lofar)."));
        // nothing named on the shared port: a member of two VOs is asked to name one
        assertThat(shared.issue(chain, VomsRequest.parse("fqans=all"), NOW)).isInstanceOfSatisfying(
                VomsResponse.Failure.class, f -> assertThat(f.message()).startsWith(
                        "You are a member of several VOs served here (cms, lofar): name one"));
        // the VO's addendum: unsigned refuses that VO only; expiring warns
        addenda.put("lofar", Instant.EPOCH);
        assertThat(shared.issue(chain, VomsRequest.parse("fqans=/lofar"), NOW)).isEqualTo(new VomsResponse.Failure(
                VomsError.SuspendedUser, "The lofar addendum to the acceptable use policy must be signed at "
                        + "https://tessera.example/aup before attributes are issued."));
        assertThat(shared.issue(chain, VomsRequest.parse("fqans=/cms"), NOW)).isInstanceOf(VomsResponse.Success.class);
        addenda.put("lofar", NOW.plus(Duration.ofDays(2)));
        assertThat(shared.issue(chain, VomsRequest.parse("fqans=/lofar"), NOW)).isInstanceOfSatisfying(
                VomsResponse.Success.class, s -> assertThat(s.warnings()).singleElement().asString()
                        .contains("lofar addendum to the acceptable use policy expires on 2026-11-27T10:00:00Z"));
    }

    private static String fqanAttribute(VomsResponse response) {
        assertThat(response).isInstanceOf(VomsResponse.Success.class);
        var value = holder((VomsResponse.Success) response).getAttributes()[0].getAttrValues().getObjectAt(0);
        var syntax = org.bouncycastle.asn1.ASN1Sequence.getInstance(value);
        StringBuilder text = new StringBuilder();
        var names = org.bouncycastle.asn1.x509.GeneralNames.getInstance(
                (org.bouncycastle.asn1.ASN1TaggedObject) syntax.getObjectAt(0), false);
        text.append(names.getNames()[0].getName()).append(' ');
        for (var fqan : org.bouncycastle.asn1.ASN1Sequence.getInstance(syntax.getObjectAt(1))) {
            text.append(new String(((org.bouncycastle.asn1.ASN1OctetString) fqan).getOctets())).append(' ');
        }
        return text.toString();
    }
}
