package eu.tessera.server.api;

import eu.tessera.server.account.AccountCertificate;
import eu.tessera.server.account.AccountRepository;
import eu.tessera.server.account.CertificateLinks;
import eu.tessera.server.voms.PemFiles;
import eu.tessera.server.voms.ProxyHeaderCertificates;
import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * X.509 certificates of accounts (used by the VOMS AA): admins, and the admins of a VO the account is a member of
 * (with their own tokens), list, link and unlink them under {@code /iam/account/{id}/certificates}; a user links the certificate of an X.509-authenticated request (a trusted
 * TLS-terminating proxy's certificate headers, {@code tessera.voms.trusted-proxies}) to their own account with
 * {@code POST /iam/me/certificates}, and lists or unlinks theirs. Errors are problem+json.
 */
@RestController
public class AccountCertificateController {

    /** Admin link request: DNs (RFC 2253 or slash form), or a PEM certificate. */
    public record LinkRequest(String subjectDn, String issuerDn, String pem, String label) {
    }

    private final CertificateLinks links;
    private final AccountRepository accounts;
    private final ObjectProvider<ProxyHeaderCertificates> proxyHeaders;
    private final eu.tessera.server.group.VoAdmins vos;

    public AccountCertificateController(CertificateLinks links, AccountRepository accounts,
            ObjectProvider<ProxyHeaderCertificates> proxyHeaders, eu.tessera.server.group.VoAdmins vos) {
        this.vos = vos;
        this.links = links;
        this.accounts = accounts;
        this.proxyHeaders = proxyHeaders;
    }

    /**
     * Admin tokens ({@code iam:admin.read} to read, {@code iam:admin.write} to change), or the own token of an admin
     * of a VO the account is a member of (the certificates its members use with VOMS); null when allowed.
     */
    private ResponseEntity<?> refusal(Jwt token, String accountId, boolean write) {
        Object scope = token == null ? null : token.getClaims().get("scope");
        java.util.List<String> scopes = scope instanceof String s ? java.util.List.of(s.split(" "))
                : scope instanceof java.util.Collection<?> c ? c.stream().map(String::valueOf).toList()
                : java.util.List.of();
        if (scopes.contains("iam:admin.write") || !write && scopes.contains("iam:admin.read")) {
            return null;
        }
        if (token != null && vos.administersMember(token.getSubject(), accountId)) {
            return null;
        }
        return ProblemDetails.of(HttpStatus.FORBIDDEN, "only admins and the admins of the account's VOs may do this");
    }

    @GetMapping("/iam/account/{id}/certificates")
    public ResponseEntity<?> list(@PathVariable String id, @AuthenticationPrincipal Jwt token) {
        ResponseEntity<?> refused = refusal(token, id, false);
        if (refused != null) {
            return refused;
        }
        if (accounts.findById(id).isEmpty()) {
            return ProblemDetails.of(HttpStatus.NOT_FOUND, "no account " + id);
        }
        return ResponseEntity.ok(links.of(id).stream().map(AccountCertificateController::json).toList());
    }

    @PostMapping("/iam/account/{id}/certificates")
    public ResponseEntity<?> link(@PathVariable String id, @RequestBody LinkRequest request,
            @AuthenticationPrincipal Jwt admin) {
        ResponseEntity<?> refused = refusal(admin, id, true);
        if (refused != null) {
            return refused;
        }
        if (accounts.findById(id).isEmpty()) {
            return ProblemDetails.of(HttpStatus.NOT_FOUND, "no account " + id);
        }
        AccountCertificate linked;
        if (request.pem() != null && !request.pem().isBlank()) {
            linked = links.linkPem(id, request.pem(), request.label(), actor(admin));
        } else {
            if (request.subjectDn() == null || request.issuerDn() == null) {
                return ProblemDetails.of(HttpStatus.BAD_REQUEST, "subjectDn and issuerDn (or pem) are required");
            }
            linked = links.link(id, request.subjectDn(), request.issuerDn(), request.label(), null, actor(admin));
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(json(linked));
    }

    @DeleteMapping("/iam/account/{id}/certificates/{certificateId}")
    public ResponseEntity<?> unlink(@PathVariable String id, @PathVariable String certificateId,
            @AuthenticationPrincipal Jwt admin) {
        ResponseEntity<?> refused = refusal(admin, id, true);
        if (refused != null) {
            return refused;
        }
        return links.unlink(id, certificateId, actor(admin)) ? ResponseEntity.noContent().build()
                : ProblemDetails.of(HttpStatus.NOT_FOUND, "account " + id + " has no certificate " + certificateId);
    }

    @GetMapping("/iam/me/certificates")
    public ResponseEntity<?> mine(@AuthenticationPrincipal Jwt token) {
        if (accounts.findById(token.getSubject()).isEmpty()) {
            return ProblemDetails.of(HttpStatus.FORBIDDEN, "the token is not a user's token");
        }
        return ResponseEntity.ok(links.of(token.getSubject()).stream().map(AccountCertificateController::json)
                .toList());
    }

    /** Links the certificate this request was authenticated with (through a trusted TLS proxy). */
    @PostMapping("/iam/me/certificates")
    public ResponseEntity<?> linkMine(@AuthenticationPrincipal Jwt token, HttpServletRequest request) {
        if (accounts.findById(token.getSubject()).isEmpty()) {
            return ProblemDetails.of(HttpStatus.FORBIDDEN, "the token is not a user's token");
        }
        ProxyHeaderCertificates headers = proxyHeaders.getIfAvailable();
        Optional<X509Certificate> certificate;
        try {
            certificate = headers == null ? Optional.empty() : headers.endEntity(request);
        } catch (ProxyHeaderCertificates.HeaderException e) {
            return ProblemDetails.of(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        if (certificate.isEmpty()) {
            return ProblemDetails.of(HttpStatus.BAD_REQUEST,
                    "this request was not authenticated with a client certificate");
        }
        AccountCertificate linked = links.link(token.getSubject(), certificate.get(), null, null,
                token.getSubject());
        return ResponseEntity.status(HttpStatus.CREATED).body(json(linked));
    }

    @DeleteMapping("/iam/me/certificates/{certificateId}")
    public ResponseEntity<?> unlinkMine(@AuthenticationPrincipal Jwt token, @PathVariable String certificateId) {
        try {
            return links.unlinkOwn(token.getSubject(), certificateId)
                    ? ResponseEntity.noContent().build()
                    : ProblemDetails.of(HttpStatus.NOT_FOUND, "no certificate " + certificateId);
        } catch (eu.tessera.server.account.LinkException e) {
            return ProblemDetails.of(HttpStatus.CONFLICT, e.getMessage());
        }
    }

    private static String actor(Jwt token) {
        return token == null ? "unknown" : token.getSubject();
    }

    static Map<String, Object> json(AccountCertificate certificate) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", certificate.getId());
        out.put("subjectDn", certificate.getSubjectDn());
        out.put("issuerDn", certificate.getIssuerDn());
        out.put("label", certificate.getLabel());
        out.put("hasPem", certificate.getPem() != null);
        out.put("created", certificate.getCreatedAt().toString());
        return out;
    }


    @ExceptionHandler(eu.tessera.server.account.LinkException.class)
    ResponseEntity<ProblemDetail> refused(eu.tessera.server.account.LinkException e) {
        return ProblemDetails.of(e.conflict() ? HttpStatus.CONFLICT : HttpStatus.BAD_REQUEST, e.getMessage());
    }
}
