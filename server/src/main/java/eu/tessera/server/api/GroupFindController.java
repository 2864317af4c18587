package eu.tessera.server.api;

import eu.tessera.server.scim.ScimGroupsController;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * INDIGO IAM's group finders ({@code FindGroupController}, IAM 1.x): {@code /iam/group/find/byname?name=} (IAM's
 * group name is the path without its leading slash, e.g. {@code escape/atlas}; a leading slash is accepted too),
 * {@code /iam/group/find/bylabel?name=&value=} and {@code /iam/group/find/unsubscribed/{accountId}} (groups the
 * account is not in), at most 200 a page. SCIM lists of SCIM groups without members, as IAM answers.
 */
@RestController
public class GroupFindController {

    private static final MediaType SCIM = MediaType.parseMediaType("application/scim+json");

    private final ScimGroupsController groups;

    public GroupFindController(ScimGroupsController groups) {
        this.groups = groups;
    }

    private ResponseEntity<Object> answer(String condition, List<Object> args, Integer startIndex, Integer count) {
        int size = count == null ? 200 : Math.min(Math.max(count, 0), 200);
        return ResponseEntity.ok().contentType(SCIM).body(groups.find(condition, args, startIndex, size));
    }

    @GetMapping("/iam/group/find/byname")
    public ResponseEntity<Object> byName(@RequestParam String name) {
        String path = name.strip().startsWith("/") ? name.strip() : "/" + name.strip();
        return answer("g.path = ?", List.of(path), 1, 1);
    }

    @GetMapping("/iam/group/find/bylabel")
    public ResponseEntity<Object> byLabel(@RequestParam String name, @RequestParam(required = false) String value,
            @RequestParam(required = false) Integer startIndex, @RequestParam(required = false) Integer count) {
        StringBuilder condition = new StringBuilder("exists (select 1 from group_property p where p.group_id = g.id "
                + "and p.kind = 'LABEL' and p.name = ?");
        List<Object> args = new ArrayList<>(List.of(name));
        if (value != null) {
            condition.append(" and p.prop_value = ?");
            args.add(value);
        }
        return answer(condition.append(")").toString(), args, startIndex, count);
    }

    @GetMapping("/iam/group/find/unsubscribed/{accountId}")
    public ResponseEntity<Object> unsubscribed(@PathVariable String accountId,
            @RequestParam(required = false) Integer startIndex, @RequestParam(required = false) Integer count) {
        return answer("not exists (select 1 from membership m where m.group_id = g.id and m.account_id = ?)",
                List.of(accountId), startIndex, count);
    }
}
