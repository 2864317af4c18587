package eu.tessera.server.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * All of Tessera's configuration, under the one root {@code tessera.*}; every property can also be set by
 * environment variable ({@code TESSERA_ISSUER}, {@code TESSERA_TOKENS_ACCESS_TOKEN_TTL}, ...).
 *
 * @param issuer           the issuer URL put in {@code iss} and discovery, exactly as written (WLCG: one issuer per
 *                         VO). A trailing slash is kept: INDIGO IAM always issues {@code iss} with one
 *                         ({@code MitreServicesConfig} appends it), so a VO moving from IAM sets the same string and
 *                         relying parties, Rucio identities and storage ACLs keep matching. Pages and endpoints are
 *                         under {@link #baseUrl()}.
 * @param organisationName the VO name, used in the {@code iam} profile and on pages
 */
@ConfigurationProperties("tessera")
public record TesseraProperties(
        @DefaultValue("http://127.0.0.1:8080") String issuer,
        @DefaultValue("tessera") String organisationName,
        @DefaultValue Admin admin,
        @DefaultValue Demo demo,
        @DefaultValue Tokens tokens,
        @DefaultValue Keys keys,
        @DefaultValue Login login,
        @DefaultValue Registration registration,
        @DefaultValue Introspection introspection,
        @DefaultValue Voms voms,
        @DefaultValue Mail mail,
        @DefaultValue Enrollment enrollment,
        @DefaultValue Lifecycle lifecycle,
        @DefaultValue Sync sync,
        @DefaultValue X509 x509,
        @DefaultValue Oidc oidc,
        @DefaultValue Saml saml,
        @DefaultValue Mfa mfa,
        @DefaultValue Requests requests) {

    /**
     * The issuer without its trailing slash, if it has one: where Tessera's pages and endpoints are
     * ({@code baseUrl() + "/token"}). Equal to {@link #issuer()} unless the issuer ends with a slash.
     */
    public String baseUrl() {
        return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    }

    /** Invalid configuration stops start-up with a message that names the property. */
    public TesseraProperties {
        java.net.URI uri;
        try {
            uri = new java.net.URI(issuer);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("tessera.issuer is not a valid URL: " + issuer);
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getQuery() != null || uri.getFragment() != null || issuer.endsWith("//")) {
            throw new IllegalArgumentException("tessera.issuer must be an http(s) URL without query or fragment "
                    + "(one trailing slash at most): " + issuer);
        }
        if (tokens.maxAccessTokenTtl().compareTo(Duration.ofHours(6)) > 0) {
            throw new IllegalArgumentException("tessera.tokens.max-access-token-ttl must be at most 6h "
                    + "(WLCG profile section 4.3.1)");
        }
        if (tokens.accessTokenTtl().isNegative() || tokens.accessTokenTtl().isZero()
                || tokens.refreshGracePeriod().isNegative()) {
            throw new IllegalArgumentException("tessera.tokens.access-token-ttl must be positive and "
                    + "tessera.tokens.refresh-grace-period not negative");
        }
        if (!"RS256".equals(keys.algorithm()) && !"ES256".equals(keys.algorithm())) {
            throw new IllegalArgumentException("tessera.keys.algorithm must be RS256 or ES256");
        }
        if (voms.enabled() && (voms.certificate() == null || voms.privateKey() == null)) {
            throw new IllegalArgumentException("tessera.voms.enabled needs tessera.voms.certificate and "
                    + "tessera.voms.private-key (the AA's PEM certificate and RSA key)");
        }
        if (voms.maxLifetime().isNegative() || voms.maxLifetime().isZero()) {
            throw new IllegalArgumentException("tessera.voms.max-lifetime must be positive");
        }
        if (voms.defaultLifetime() != null && (voms.maxLifetime().compareTo(voms.defaultLifetime()) < 0
                || voms.defaultLifetime().isNegative() || voms.defaultLifetime().isZero())) {
            throw new IllegalArgumentException("tessera.voms.default-lifetime (" + voms.defaultLifetime()
                    + ") must be positive and at most tessera.voms.max-lifetime (" + voms.maxLifetime()
                    + "); leave it unset to follow max-lifetime");
        }
        java.util.Set<Integer> vomsPorts = new java.util.HashSet<>(List.of(voms.port()));
        for (Map.Entry<String, Integer> entry : voms.voPorts().entrySet()) {
            if (!entry.getKey().matches("[A-Za-z0-9_.\\-]+") || entry.getValue() == null || entry.getValue() < 1
                    || entry.getValue() > 65535 || !vomsPorts.add(entry.getValue())) {
                throw new IllegalArgumentException("tessera.voms.vo-ports." + entry.getKey() + ": a VO name of "
                        + "letters, digits, '.', '_' or '-' and a port of its own (not tessera.voms.port, not another "
                        + "VO's)");
            }
        }
        sync.validate();
        oidc.validate();
        saml.validate();
        if (x509.loginEnabled() && x509.port() > 0 && (x509.certificate() == null || x509.privateKey() == null)) {
            throw new IllegalArgumentException("tessera.x509.port needs tessera.x509.certificate and "
                    + "tessera.x509.private-key (the PEM certificate and key of that TLS port)");
        }
        if (login.maxFailuresPerAccount() < 1 || login.maxFailuresPerAddress() < 1) {
            throw new IllegalArgumentException("tessera.login.max-failures-per-account and "
                    + "-per-address must be at least 1");
        }
    }

    /**
     * First-start bootstrap of the administrator.
     *
     * @param password     password of the {@code admin} account; generated and logged once when empty
     * @param clientId     id of the confidential admin API client, created when both id and secret are set
     * @param clientSecret secret of that client
     * @param email        email of the {@code admin} account, given to it at the start when it has none (so that
     *                     it hears of registrations and group requests); it can also set one on {@code /account}
     */
    public record Admin(String password, String clientId, String clientSecret, String email) {
    }

    /**
     * The demo VO: groups /escape, /escape/cms, /escape/atlas, optional /escape/data-manager, a member and a client.
     *
     * @param enabled        load the demo data at start (idempotent)
     * @param memberPassword password of the demo member account {@code alice}
     * @param clientSecret   secret of the demo client {@code demo-client}
     */
    public record Demo(@DefaultValue("false") boolean enabled, @DefaultValue("alice-password") String memberPassword,
            @DefaultValue("demo-secret") String clientSecret) {
    }

    /**
     * Token lifetimes and claims (WLCG profile section 4.3.1).
     *
     * @param accessTokenTtl      default access-token lifetime of a new client
     * @param maxAccessTokenTtl   server-wide cap; WLCG requires less than 6 h
     * @param refreshTokenTtl     default refresh-token lifetime of a new client
     * @param maxRefreshTokenTtl  server-wide cap on refresh-token lifetime
     * @param refreshGracePeriod  a rotated refresh token still works this long (a lost response can be retried);
     *                            reuse after it revokes the whole family
     * @param idTokenTtl          ID-token lifetime
     * @param authorizationCodeTtl authorization-code lifetime (single use)
     * @param deviceCodeTtl       lifetime of a device code and its user code (RFC 8628)
     * @param notBeforeSkew       {@code nbf} is backdated by this much (WLCG v1.3 recommends 60 s)
     * @param aarcNamespace       URN namespace of {@code eduperson_entitlement} values (AARC-G069);
     *                            default {@code urn:geant:<issuer host>}
     * @param clientCacheTtl      how long a client registration is cached per instance (bounded staleness)
     */
    public record Tokens(@DefaultValue("1h") Duration accessTokenTtl, @DefaultValue("6h") Duration maxAccessTokenTtl,
            @DefaultValue("10d") Duration refreshTokenTtl, @DefaultValue("30d") Duration maxRefreshTokenTtl,
            @DefaultValue("60s") Duration refreshGracePeriod, @DefaultValue("20m") Duration idTokenTtl,
            @DefaultValue("60s") Duration authorizationCodeTtl, @DefaultValue("10m") Duration deviceCodeTtl,
            @DefaultValue("60s") Duration notBeforeSkew,
            String aarcNamespace, @DefaultValue("5s") Duration clientCacheTtl) {
    }

    /**
     * Signing keys.
     *
     * @param algorithm        {@code RS256} (default) or {@code ES256}
     * @param encryptionSecret secret from which the key that encrypts private keys at rest is derived; when empty
     *                         a development secret is used and a warning logged
     * @param rotationPeriod   a new key becomes active after this period; the previous one stays in the JWKS
     * @param jwksMaxAge       {@code Cache-Control: max-age} of the JWKS
     * @param additionalJwks   a JWKS file whose public keys the JWKS endpoint publishes too, never signing with them:
     *                         the old service's keys after a move, so that its tokens verify until they expire
     */
    public record Keys(@DefaultValue("RS256") String algorithm, String encryptionSecret,
            @DefaultValue("90d") Duration rotationPeriod, @DefaultValue("1h") Duration jwksMaxAge,
            String additionalJwks) {
    }

    /**
     * Login throttling (RFC 9700 / OWASP: slow down password guessing per account and per address).
     *
     * @param maxFailuresPerAccount failures before an account is locked for {@code lockDuration}
     * @param maxFailuresPerAddress failures before an address is locked for {@code lockDuration}
     * @param failureWindow         failures older than this are forgotten
     * @param lockDuration          how long a lock lasts
     */
    public record Login(@DefaultValue("5") int maxFailuresPerAccount, @DefaultValue("20") int maxFailuresPerAddress,
            @DefaultValue("15m") Duration failureWindow, @DefaultValue("15m") Duration lockDuration) {
    }

    /**
     * How many protocol requests ({@code /token}, {@code /introspect}, {@code /revoke}, {@code /userinfo},
     * {@code /devicecode}) run at once; the others wait their turn in arrival order (bench/README.md, "Memory and
     * CPU footprint": with Tomcat's threads alone, connections a busy thread keeps serving starve the others and the
     * tail stretches).
     *
     * @param concurrency at most this many at once; {@code 0} (default) means 4 per core: enough to keep the cores
     *                    busy while some wait for the database
     * @param maxWait     a request that waited this long for its turn is answered 503 {@code temporarily_unavailable}
     *                    with {@code Retry-After: 1}
     */
    public record Requests(@DefaultValue("0") int concurrency, @DefaultValue("10s") Duration maxWait) {

        public Requests {
            if (concurrency < 0) {
                throw new IllegalArgumentException("tessera.requests.concurrency must be 0 (4 per core) or more: "
                        + concurrency);
            }
            if (maxWait.isNegative() || maxWait.isZero()) {
                throw new IllegalArgumentException("tessera.requests.max-wait must be positive: " + maxWait);
            }
        }

        /** The configured concurrency, or 4 per core of {@code cores}. */
        public int effectiveConcurrency(int cores) {
            return concurrency > 0 ? concurrency : 4 * cores;
        }
    }

    /**
     * Second factors (TOTP authenticators and recovery codes) and who must have one.
     *
     * @param requiredForAdmins whether administrators (and readers) must use a second factor: without one they are
     *                          taken to enrolment after their first factor, before any page
     * @param requiredGroups    group paths whose members (of the group or a subgroup) must use a second factor, e.g.
     *                          {@code /escape/data-manager}
     * @param totpWindow        TOTP time steps (30 s) accepted either side of the server's time, for clock drift
     * @param recoveryCodes     how many one-time recovery codes a member gets at enrolment
     * @param passkeys          the WebAuthn relying party
     */
    public record Mfa(@DefaultValue("false") boolean requiredForAdmins, @DefaultValue List<String> requiredGroups,
            @DefaultValue("1") int totpWindow, @DefaultValue("10") int recoveryCodes,
            @DefaultValue Passkeys passkeys) {

        /**
         * Passkeys (WebAuthn).
         *
         * @param rpId    the relying party id passkeys are bound to: the issuer's host unless set (a parent domain of
         *                it keeps passkeys valid when the host name changes); an IP address cannot be one
         * @param origins origins besides the issuer's from which passkeys may be used (e.g. a second host name)
         */
        public record Passkeys(String rpId, @DefaultValue List<String> origins) {
        }

        public Mfa {
            if (totpWindow < 0 || totpWindow > 4) {
                throw new IllegalArgumentException("tessera.mfa.totp-window must be 0-4 (steps of 30 s): "
                        + totpWindow);
            }
            if (recoveryCodes < 1 || recoveryCodes > 50) {
                throw new IllegalArgumentException("tessera.mfa.recovery-codes must be 1-50: " + recoveryCodes);
            }
            for (String group : requiredGroups) {
                if (!group.startsWith("/") || group.endsWith("/") && group.length() > 1) {
                    throw new IllegalArgumentException("tessera.mfa.required-groups: not a group path: " + group);
                }
            }
        }
    }

    /**
     * Dynamic client registration (RFC 7591).
     *
     * @param anonymousEnabled whether clients may register without a token (as oidc-agent does), limited to
     *                         user-delegated grants
     */
    public record Registration(@DefaultValue("true") boolean anonymousEnabled) {
    }

    /**
     * Who may introspect tokens (RFC 7662 section 4: the endpoint must not let anyone scan tokens). Clients
     * registered with {@code iam:admin.read} or {@code iam:admin.write} always may.
     *
     * @param clients                  further client ids allowed to introspect (e.g. storage endpoints)
     * @param allowConfidentialClients let every confidential client introspect
     */
    public record Introspection(@DefaultValue List<String> clients,
            @DefaultValue("false") boolean allowConfidentialClients) {
    }

    /**
     * The VOMS attribute authority: {@code /generate-ac} for X.509 proxy tools (voms-proxy-init).
     *
     * @param enabled            serve VOMS ACs (needs {@code certificate} and {@code privateKey})
     * @param vo                 the VO name in ACs and FQANs ({@code /<vo>/...}); groups under {@code /<vo>} are
     *                           issued; default {@code tessera.organisation-name}
     * @param host               host in the AC's policy authority {@code vo://host:port}: relying parties look
     *                           for {@code vomsdir/<vo>/<host>.lsc}; default the issuer's host
     * @param port               port of Tessera's own VOMS TLS listener
     * @param advertisedPort     port in the policy authority when clients reach the AA through another port
     *                           (0: {@code port})
     * @param listenerEnabled    run the TLS listener (off when a TLS-terminating proxy forwards to the main port)
     * @param bindAddress        address the TLS listener binds to
     * @param certificate        PEM file with the AA certificate (RSA key; needs a subject key identifier) and
     *                           optionally its CA chain; also the listener's server certificate
     * @param privateKey         PEM file with the AA's unencrypted private key (PKCS#8 or PKCS#1)
     * @param caDirectory        IGTF-layout directory of trusted CAs and CRLs for client chains
     * @param caReloadPeriod     how often the CA directory (and its CRLs) is re-read
     * @param defaultLifetime    AC lifetime when the client asks for none; unset: 12 h, or max-lifetime if shorter
     * @param maxLifetime        longest AC lifetime; longer requests are shortened with a warning
     * @param optionalGroupFqan  how optional groups appear: {@code ROLE} ({@code /vo/a/Role=b}) or {@code GROUP}
     * @param legacyFqanEncoding write FQANs as {@code /vo/g/Role=NULL/Capability=NULL}
     * @param aupWarning         warn in the response when the AUP signature expires within this period
     * @param trustedProxies     addresses (IPs or CIDR blocks) of TLS-terminating proxies whose
     *                           {@code X-SSL-Client-*} headers are believed on the main port; empty: none
     * @param listenerThreads    requests the TLS listener serves at once
     * @param socketTimeout      TLS handshake and request read timeout on the listener
     * @param voPorts            VOs with a TLS port of their own (VO name to port), as classic VOMS servers give
     *                           each VO: requests there are for that VO (requests naming none included); such VOs
     *                           are served even when no group is marked as a VO
     */
    public record Voms(@DefaultValue("false") boolean enabled, String vo, String host,
            @DefaultValue("15000") int port, @DefaultValue("0") int advertisedPort,
            @DefaultValue("true") boolean listenerEnabled, @DefaultValue("0.0.0.0") String bindAddress,
            String certificate, String privateKey,
            @DefaultValue("/etc/grid-security/certificates") String caDirectory,
            @DefaultValue("1h") Duration caReloadPeriod, Duration defaultLifetime,
            @DefaultValue("12h") Duration maxLifetime, @DefaultValue("ROLE") String optionalGroupFqan,
            @DefaultValue("false") boolean legacyFqanEncoding, @DefaultValue("15d") Duration aupWarning,
            @DefaultValue List<String> trustedProxies, @DefaultValue("16") int listenerThreads,
            @DefaultValue("10s") Duration socketTimeout, @DefaultValue Map<String, Integer> voPorts) {

        public Voms {
            voPorts = voPorts == null ? Map.of() : Map.copyOf(voPorts);
        }

        static final Duration DEFAULT_LIFETIME = Duration.ofHours(12);

        /** The AC lifetime when the client asks for none: as set, or 12 h but never more than {@code maxLifetime}. */
        public Duration effectiveDefaultLifetime() {
            if (defaultLifetime != null) {
                return defaultLifetime;
            }
            return DEFAULT_LIFETIME.compareTo(maxLifetime) <= 0 ? DEFAULT_LIFETIME : maxLifetime;
        }
    }

    /**
     * Outgoing mail (SMTP server: the standard {@code spring.mail.*} settings).
     *
     * @param enabled      send queued mail; when false, mail waits in the outbox (nothing is lost)
     * @param from         sender address; default {@code tessera@<issuer host>}
     * @param pollInterval how often the outbox is checked
     * @param retryBase    first retry delay after a failed send; doubles per attempt, with jitter
     * @param retryMax     longest retry delay
     */
    public record Mail(@DefaultValue("false") boolean enabled, String from,
            @DefaultValue("2s") Duration pollInterval, @DefaultValue("5s") Duration retryBase,
            @DefaultValue("30m") Duration retryMax) {
    }

    /**
     * The enrollment portal: self-registration moderated by admins.
     *
     * @param enabled           show the registration page
     * @param confirmationTtl   how long the email confirmation link works
     * @param passwordLinkTtl   how long a set-password or reset link works
     * @param defaultGroups     groups (paths) every approved account joins
     * @param adminEmails       further addresses told about confirmed requests (admins with an email are told
     *                          anyway)
     * @param aupUrl            the acceptable use policy registrants accept (linked from the form)
     */
    public record Enrollment(@DefaultValue("true") boolean enabled,
            @DefaultValue("24h") Duration confirmationTtl, @DefaultValue("7d") Duration passwordLinkTtl,
            @DefaultValue List<String> defaultGroups, @DefaultValue List<String> adminEmails, String aupUrl) {
    }

    /**
     * Account lifecycle after an account's end time.
     *
     * @param suspensionGrace time between the end time (the account stops getting tokens, pending suspension) and
     *                        its suspension
     * @param removalGrace    time between suspension by the lifecycle and removal of the account; 0: never removed
     * @param checkInterval   how often the lifecycle job runs
     */
    public record Lifecycle(@DefaultValue("7d") Duration suspensionGrace, @DefaultValue("0s") Duration removalGrace,
            @DefaultValue("1h") Duration checkInterval) {
    }

    /**
     * Account sync: account, membership, identity and status changes pushed to catalogues (Rucio, SCIM servers).
     *
     * @param enabled           run the sync worker; when false, change events are kept for {@code event-retention}
     * @param pollInterval      how often new events are delivered
     * @param maxAttempts       failed attempts before an account's change is parked (shown on /admin/sync)
     * @param retryBase         first retry delay; doubles per attempt, with jitter
     * @param retryMax          longest retry delay
     * @param batch             accounts claimed per round and target
     * @param concurrency       accounts synchronized in parallel per target
     * @param lease             how long a claimed change is reserved for the instance delivering it; after a crash
     *                          its changes are retried once this has passed
     * @param timeout           timeout of each call to a target
     * @param reconcileInterval how often every target is reconciled in full; 0: only on demand
     * @param eventRetention    with sync disabled, how long change events are kept before they are dropped
     * @param targets           the targets
     */
    public record Sync(@DefaultValue("false") boolean enabled, @DefaultValue("1s") Duration pollInterval,
            @DefaultValue("10") int maxAttempts, @DefaultValue("5s") Duration retryBase,
            @DefaultValue("10m") Duration retryMax, @DefaultValue("100") int batch,
            @DefaultValue("4") int concurrency, @DefaultValue("2m") Duration lease,
            @DefaultValue("10s") Duration timeout,
            @DefaultValue("24h") Duration reconcileInterval, @DefaultValue("1h") Duration eventRetention,
            @DefaultValue List<Target> targets) {

        void validate() {
            if (maxAttempts < 1 || batch < 1 || concurrency < 1 || retryBase.isZero() || retryBase.isNegative()
                    || retryMax.compareTo(retryBase) < 0 || timeout.isZero() || timeout.isNegative()
                    || lease.compareTo(timeout) <= 0) {
                throw new IllegalArgumentException("tessera.sync: max-attempts, batch, concurrency, retry-base and "
                        + "timeout must be positive, retry-max at least retry-base and lease longer than timeout");
            }
            if (enabled && targets.isEmpty()) {
                throw new IllegalArgumentException("tessera.sync.enabled needs at least one target "
                        + "(tessera.sync.targets[0].name, type, url, ...)");
            }
            java.util.Set<String> names = new java.util.HashSet<>();
            for (int i = 0; i < targets.size(); i++) {
                Target target = targets.get(i);
                String prefix = "tessera.sync.targets[" + i + "]";
                if (target.name() == null || !target.name().matches("[a-z0-9_-]{1,64}") || !names.add(target.name())) {
                    throw new IllegalArgumentException(prefix + ".name must be unique, 1 to 64 of a-z 0-9 - _");
                }
                if (target.type() == null || target.url() == null) {
                    throw new IllegalArgumentException(prefix + ".type (RUCIO or SCIM) and .url are required");
                }
                switch (target.auth()) {
                    case TOKEN -> {
                        if (target.clientId() == null || target.clientSecret() == null) {
                            throw new IllegalArgumentException(prefix + ".auth=TOKEN needs client-id and "
                                    + "client-secret (and token-endpoint for another issuer)");
                        }
                    }
                    case USERPASS -> {
                        if (target.type() != Target.Type.RUCIO || target.rucioAccount() == null
                                || target.username() == null || target.password() == null) {
                            throw new IllegalArgumentException(prefix + ".auth=USERPASS is for Rucio and needs "
                                    + "rucio-account, username and password");
                        }
                    }
                    case BEARER -> {
                        if (target.bearerToken() == null) {
                            throw new IllegalArgumentException(prefix + ".auth=BEARER needs bearer-token");
                        }
                    }
                }
                for (String rule : target.attributeRules()) {
                    try {
                        eu.tessera.sync.rucio.RucioSettings.AttributeRule.parse(rule);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(prefix + ".attribute-rules: " + e.getMessage(), e);
                    }
                }
            }
        }

        /**
         * One sync target.
         *
         * @param name                  unique name (a-z 0-9 - _), shown in metrics and on the admin page
         * @param type                  RUCIO (Rucio REST API) or SCIM (SCIM 2.0 server)
         * @param url                   the Rucio server, or the SCIM base URL (e.g. https://host/scim)
         * @param groups                accounts in these groups (or below) are synchronized; empty: all accounts
         * @param auth                  TOKEN (client credentials at token-endpoint), USERPASS (Rucio userpass
         *                              login), BEARER (a fixed bearer token)
         * @param tokenEndpoint         where TOKEN gets its token; default this Tessera's {@code /token}
         * @param clientId              TOKEN: client id
         * @param clientSecret          TOKEN: client secret
         * @param scope                 TOKEN: scopes to ask for (SCIM: default {@code scim:read scim:write})
         * @param audience              TOKEN: audience to ask for (Rucio: e.g. {@code rucio})
         * @param bearerToken           BEARER: the token
         * @param rucioAccount          USERPASS: Rucio account to log in as (e.g. root)
         * @param username              USERPASS: Rucio username
         * @param password              USERPASS: Rucio password
         * @param vo                    Rucio multi-VO: the {@code X-Rucio-VO} header
         * @param attributeRules        Rucio: {@code /group/path:key=value}, account attributes for group members
         * @param dnFormat              Rucio: RFC2253 or SLASH, how X.509 identities are written
         * @param deleteAccounts        Rucio: delete (disable) the Rucio account when its owner is removed or leaves
         *                              the groups; false keeps it (identities and mapped attributes are removed)
         * @param adoptExistingAccounts take over an existing target account of the same name that Tessera did not
         *                              create (Rucio USER accounts; SCIM users without externalId)
         */
        public record Target(String name, Type type, java.net.URI url, @DefaultValue List<String> groups,
                @DefaultValue("TOKEN") Auth auth, java.net.URI tokenEndpoint, String clientId, String clientSecret,
                String scope, String audience, String bearerToken, String rucioAccount, String username,
                String password, String vo, @DefaultValue List<String> attributeRules,
                @DefaultValue("RFC2253") eu.tessera.sync.rucio.RucioSettings.DnFormat dnFormat,
                @DefaultValue("false") boolean deleteAccounts, @DefaultValue("false") boolean adoptExistingAccounts) {

            /** The kind of catalogue. */
            public enum Type { RUCIO, SCIM }

            /** How Tessera authenticates to the target. */
            public enum Auth { TOKEN, USERPASS, BEARER }

            @Override
            public String toString() {
                return "Target[" + name + ", " + type + ", " + url + "]";   // never the secrets
            }
        }
    }

    /**
     * Login with an X.509 certificate (and proxies of it).
     *
     * @param loginEnabled    offer "log in with your certificate" ({@code /login/x509})
     * @param caDirectory     trusted CAs and CRLs, IGTF layout ({@code <hash>.0}, {@code <hash>.r0})
     * @param caReloadPeriod  how often the CA directory is read again
     * @param trustedProxies  TLS-terminating proxies whose {@code X-SSL-Client-*} headers are believed
     * @param port            Tessera's own TLS port asking for client certificates; 0: none (proxy headers only)
     * @param bindAddress     address of that port
     * @param certificate     PEM certificate (chain) of that port
     * @param privateKey      PEM private key of that port
     */
    public record X509(@DefaultValue("false") boolean loginEnabled,
            @DefaultValue("/etc/grid-security/certificates") String caDirectory,
            @DefaultValue("1h") Duration caReloadPeriod, @DefaultValue List<String> trustedProxies,
            @DefaultValue("0") int port, @DefaultValue("127.0.0.1") String bindAddress, String certificate,
            String privateKey) {

        /** Where a page is reached with a client certificate: on the certificate port if there is one. */
        public String pageUrl(String issuer, String path) {
            return port > 0 ? "https://" + java.net.URI.create(issuer).getHost() + ":" + port + path : path;
        }
    }

    /**
     * Login through external OpenID Connect providers.
     *
     * @param providers the providers, each found by discovery from its issuer
     */
    public record Oidc(@DefaultValue List<Provider> providers) {

        void validate() {
            java.util.Set<String> names = new java.util.HashSet<>();
            for (int i = 0; i < providers.size(); i++) {
                Provider provider = providers.get(i);
                String prefix = "tessera.oidc.providers[" + i + "]";
                if (provider.name() == null || !provider.name().matches("[a-z0-9_-]{1,64}")
                        || !names.add(provider.name())) {
                    throw new IllegalArgumentException(prefix + ".name must be unique, 1 to 64 of a-z 0-9 - _");
                }
                if (provider.issuer() == null || provider.clientId() == null || provider.clientSecret() == null) {
                    throw new IllegalArgumentException(prefix + ".issuer, .client-id and .client-secret are required");
                }
                for (String claim : provider.requiredClaims()) {
                    if (claim.indexOf('=') < 1) {
                        throw new IllegalArgumentException(prefix + ".required-claims: '" + claim
                                + "' is not claim=value");
                    }
                }
            }
        }

        /**
         * One external OpenID Connect provider.
         *
         * @param name           registration id (a-z 0-9 - _), in the redirect URI
         *                       {@code <issuer>/login/oauth2/code/<name>}
         * @param displayName    shown on the login page
         * @param issuer         the provider's issuer (discovery at {@code /.well-known/openid-configuration})
         * @param clientId       Tessera's client id there
         * @param clientSecret   Tessera's client secret there
         * @param scopes         scopes asked for
         * @param requiredClaims {@code claim=value} conditions, all required (a list claim must contain the value),
         *                       e.g. {@code eduperson_entitlement=urn:mace:example.org:group:vo}
         * @param trusted        create an account at first login (just in time) instead of asking to register
         * @param usernameClaim  claim proposed as username for new accounts
         * @param mfaAcrValues   {@code acr} values of the provider's ID tokens that count as a second factor
         * @param mfaAmrValues   {@code amr} values of the provider's ID tokens that count as a second factor
         * @param requestMfa     always ask the provider for MFA ({@code acr_values}); it is asked anyway when the
         *                       client asked Tessera for it
         */
        public record Provider(String name, String displayName, java.net.URI issuer, String clientId,
                String clientSecret, @DefaultValue({"openid", "profile", "email"}) List<String> scopes,
                @DefaultValue List<String> requiredClaims, @DefaultValue("false") boolean trusted,
                @DefaultValue("preferred_username") String usernameClaim,
                @DefaultValue("https://refeds.org/profile/mfa") List<String> mfaAcrValues,
                @DefaultValue("mfa") List<String> mfaAmrValues, @DefaultValue("false") boolean requestMfa) {

            @Override
            public String toString() {
                return "Provider[" + name + ", " + issuer + "]";   // never the secret
            }
        }
    }

    /**
     * SAML (eduGAIN) login. So far: the IdP metadata sources.
     *
     * @param metadata the metadata sources (a national federation, eduGAIN, single IdPs), each signed
     */
    /**
     * SAML login (eduGAIN and national federations).
     *
     * @param metadata           metadata sources
     * @param sp                 Tessera as service provider
     * @param trustedIdps        entity IDs of IdPs whose unknown users get an account at once (just in time)
     * @param identityAttributes which identifier names the user, first released wins: {@code eduPersonUniqueId},
     *                           {@code subject-id}, {@code pairwise-id}, {@code eduPersonPrincipalName},
     *                           {@code persistent-nameid}, {@code eduPersonTargetedID} or an attribute URI
     * @param requiredAttributes {@code attribute=value} conditions, all required (one of the values must match),
     *                           e.g. {@code eduPersonEntitlement=urn:mace:example.org:group:vo}
     * @param clockSkew          tolerance on the assertion's validity times
     */
    public record Saml(@DefaultValue List<MetadataSource> metadata, @DefaultValue Sp sp,
            @DefaultValue List<String> trustedIdps,
            @DefaultValue({"eduPersonUniqueId", "subject-id", "pairwise-id", "eduPersonPrincipalName",
                    "persistent-nameid"}) List<String> identityAttributes,
            @DefaultValue List<String> requiredAttributes, @DefaultValue("90s") Duration clockSkew) {

        /**
         * Tessera as a SAML service provider.
         *
         * @param entityId              entity ID; default {@code <issuer>/saml/metadata}
         * @param certificate           PEM certificate of the SP signing key (metadata and AuthnRequests)
         * @param privateKey            PEM private key (PKCS#8) of it
         * @param encryptionCertificate PEM certificate IdPs encrypt assertions to; default the signing one
         * @param encryptionPrivateKey  PEM private key (PKCS#8) of the encryption certificate, when it is another
         * @param metadataValidity      validUntil of the published metadata, from now
         * @param technicalContact      technical contact email in the metadata
         * @param securityContact       REFEDS security contact email (SIRTFI)
         */
        public record Sp(String entityId, String certificate, String privateKey, String encryptionCertificate,
                String encryptionPrivateKey, @DefaultValue("7d") Duration metadataValidity, String technicalContact,
                String securityContact) {

            public boolean configured() {
                return certificate != null && privateKey != null;
            }
        }

        void validate() {
            if (identityAttributes.isEmpty()) {
                throw new IllegalArgumentException("tessera.saml.identity-attributes must name at least one "
                        + "identifier");
            }
            for (String name : identityAttributes) {
                if (!eu.tessera.saml.SamlAttributes.known(name)) {
                    throw new IllegalArgumentException("tessera.saml.identity-attributes: '" + name
                            + "' is neither a known name nor an attribute URI");
                }
            }
            for (String requirement : requiredAttributes) {
                if (requirement.indexOf('=') < 1) {
                    throw new IllegalArgumentException("tessera.saml.required-attributes: '" + requirement
                            + "' is not attribute=value");
                }
            }
            if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("tessera.saml.clock-skew must be between 0 and 10m");
            }
            java.util.Set<String> names = new java.util.HashSet<>();
            for (int i = 0; i < metadata.size(); i++) {
                MetadataSource source = metadata.get(i);
                String prefix = "tessera.saml.metadata[" + i + "]";
                if (source.name() == null || !source.name().matches("[a-z0-9_-]{1,64}") || !names.add(source.name())) {
                    throw new IllegalArgumentException(prefix + ".name must be unique, 1 to 64 of a-z 0-9 - _");
                }
                if (source.location() == null || (source.signingCertificate() == null) == !source.pinned()) {
                    throw new IllegalArgumentException(prefix + ".location (file or https URL) and either "
                            + ".signing-certificate (PEM file of the metadata signer) or .idp-fingerprints (SHA-256 "
                            + "of the IdPs' signing certificates, for unsigned metadata) are required");
                }
                for (String fingerprint : source.idpFingerprints()) {
                    try {
                        eu.tessera.saml.metadata.MetadataReader.normalizeFingerprint(fingerprint);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(prefix + ".idp-fingerprints: " + e.getMessage());
                    }
                }
                if (source.defaultValidity().isZero() || source.defaultValidity().isNegative()) {
                    throw new IllegalArgumentException(prefix + ".default-validity must be positive");
                }
                if (source.refreshPeriod().isZero() || source.refreshPeriod().isNegative()) {
                    throw new IllegalArgumentException(prefix + ".refresh-period must be positive");
                }
            }
        }

        /**
         * One metadata source.
         *
         * @param name                          unique name (a-z 0-9 - _), in the admin API
         * @param location                      a file path, or an http(s) URL
         * @param signingCertificate            PEM file of the certificate that signs it (required)
         * @param refreshPeriod                 how often it is read again (the last good copy stays when that
         *                                      fails, until its validUntil)
         * @param requireSirtfi                 offer only IdPs asserting SIRTFI
         * @param requireResearchAndScholarship offer only IdPs in the REFEDS R&amp;S category
         * @param idpFingerprints               instead of {@code signingCertificate}: SHA-256 fingerprints of the IdPs'
         *                                      signing certificates, for unsigned metadata of an IdP outside a
         *                                      federation (only IdPs with a pinned certificate are offered)
         * @param defaultValidity               validity of a copy whose document has no validUntil (pinned sources)
         * @param displayName                   the name shown for an IdP whose metadata names it not at all
         * @param allowCbc                      accept AES-CBC assertion encryption from this source's IdPs (AES-GCM
         *                                      only otherwise)
         * @param requireSignedResponse         refuse Responses whose own signature is missing
         * @param allow                         if not empty, offer only these entity IDs
         * @param deny                          never offer these entity IDs
         * @param mfaContexts                   AuthnContextClassRef values of this source's IdPs that count as a
         *                                      second factor (empty: none does)
         * @param requestMfa                    always ask this source's IdPs for MFA (RequestedAuthnContext); it is
         *                                      asked anyway when the client asked for it ({@code acr_values})
         */
        public record MetadataSource(String name, String location, String signingCertificate,
                @DefaultValue("6h") Duration refreshPeriod, @DefaultValue("false") boolean requireSirtfi,
                @DefaultValue("false") boolean requireResearchAndScholarship, @DefaultValue List<String> allow,
                @DefaultValue List<String> deny, @DefaultValue List<String> idpFingerprints,
                @DefaultValue("7d") Duration defaultValidity, String displayName,
                @DefaultValue("false") boolean allowCbc, @DefaultValue("false") boolean requireSignedResponse,
                @DefaultValue("https://refeds.org/profile/mfa") List<String> mfaContexts,
                @DefaultValue("false") boolean requestMfa) {

            /** Trusted through the IdPs' certificate fingerprints instead of a metadata signature. */
            public boolean pinned() {
                return !idpFingerprints.isEmpty();
            }
        }
    }
}
