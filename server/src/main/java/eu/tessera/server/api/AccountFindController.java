package eu.tessera.server.api;

import eu.tessera.server.scim.ScimUsersController;
import eu.tessera.voms.pki.DistinguishedNames;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * INDIGO IAM's account finders ({@code FindAccountController}, IAM 1.x), which VO scripts and the VOMS importer
 * call: {@code /iam/account/find/byusername?username=}, {@code /byemail?email=}, {@code /bylabel?name=&value=}
 * (and Tessera's {@code prefix=}), {@code /bycertsubject?certificateSubject=} (either DN form),
 * {@code /byuuid/{id}}, {@code /bygroup/{groupId}} and {@code /notingroup/{groupId}} (with {@code startIndex},
 * {@code count}, at most 100 a page). Each answers a SCIM list of SCIM users ({@code application/scim+json}), as IAM
 * does; nothing found is an empty list.
 */
@RestController
public class AccountFindController {

    private static final MediaType SCIM = MediaType.parseMediaType("application/scim+json");

    private final ScimUsersController users;

    public AccountFindController(ScimUsersController users) {
        this.users = users;
    }

    private ResponseEntity<Object> answer(String condition, List<Object> args, Integer startIndex, Integer count) {
        int size = count == null ? 100 : Math.min(Math.max(count, 0), 100);
        return ResponseEntity.ok().contentType(SCIM).body(users.find(condition, args, startIndex, size));
    }

    @GetMapping("/iam/account/find/byusername")
    public ResponseEntity<Object> byUsername(@RequestParam String username) {
        return answer("a.username = ?", List.of(username), 1, 1);
    }

    @GetMapping("/iam/account/find/byemail")
    public ResponseEntity<Object> byEmail(@RequestParam String email) {
        return answer("a.email = ?", List.of(email.strip()), 1, 100);   // exact, as IAM (and indexed)
    }

    @GetMapping("/iam/account/find/byuuid/{id}")
    public ResponseEntity<Object> byUuid(@PathVariable String id) {
        return answer("a.id = ?", List.of(id), 1, 1);
    }

    @GetMapping("/iam/account/find/bylabel")
    public ResponseEntity<Object> byLabel(@RequestParam String name, @RequestParam(required = false) String value,
            @RequestParam(required = false) String prefix, @RequestParam(required = false) Integer startIndex,
            @RequestParam(required = false) Integer count) {
        StringBuilder condition = new StringBuilder("exists (select 1 from account_label l where l.account_id = a.id "
                + "and l.name = ?");
        List<Object> args = new ArrayList<>(List.of(name));
        if (prefix != null) {
            condition.append(" and l.prefix = ?");
            args.add(prefix.strip());
        }
        if (value != null) {
            condition.append(" and l.label_value = ?");
            args.add(value);
        }
        return answer(condition.append(")").toString(), args, startIndex, count);
    }

    @GetMapping("/iam/account/find/bycertsubject")
    public ResponseEntity<Object> byCertificateSubject(@RequestParam String certificateSubject) {
        String canonical;
        try {
            canonical = DistinguishedNames.canonical(certificateSubject);
        } catch (IllegalArgumentException e) {
            ResponseEntity<org.springframework.http.ProblemDetail> problem = ProblemDetails.of(HttpStatus.BAD_REQUEST,
                    "certificateSubject: a DN such as CN=Alice,O=Example or /O=Example/CN=Alice");
            problem.getBody().setProperty("error", problem.getBody().getDetail());
            return ResponseEntity.status(problem.getStatusCode()).headers(problem.getHeaders())
                    .body(problem.getBody());
        }
        return answer("exists (select 1 from account_certificate c where c.account_id = a.id and c.subject_dn = ?)",
                List.of(canonical), 1, 100);
    }

    @GetMapping("/iam/account/find/bygroup/{groupId}")
    public ResponseEntity<Object> byGroup(@PathVariable String groupId,
            @RequestParam(required = false) Integer startIndex, @RequestParam(required = false) Integer count) {
        return answer("exists (select 1 from membership m where m.account_id = a.id and m.group_id = ?)",
                List.of(groupId), startIndex, count);
    }

    @GetMapping("/iam/account/find/notingroup/{groupId}")
    public ResponseEntity<Object> notInGroup(@PathVariable String groupId,
            @RequestParam(required = false) Integer startIndex, @RequestParam(required = false) Integer count) {
        return answer("not exists (select 1 from membership m where m.account_id = a.id and m.group_id = ?)",
                List.of(groupId), startIndex, count);
    }
}
