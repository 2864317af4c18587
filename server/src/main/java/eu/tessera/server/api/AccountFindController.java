package eu.tessera.server.api;

import eu.tessera.server.account.Account;
import eu.tessera.server.account.AccountRepository;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /iam/account/find/byusername?username=..}, the INDIGO IAM lookup scripts use to turn a username
 * into an account id: a SCIM-style list response with zero or one account.
 */
@RestController
public class AccountFindController {

    private final AccountRepository accounts;

    public AccountFindController(AccountRepository accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/iam/account/find/byusername")
    public Map<String, Object> byUsername(@RequestParam String username) {
        List<Map<String, Object>> found = accounts.findByUsername(username).map(AccountFindController::json)
                .map(List::of).orElse(List.of());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("totalResults", found.size());
        out.put("itemsPerPage", found.size());
        out.put("startIndex", 1);
        out.put("Resources", found);
        return out;
    }

    private static Map<String, Object> json(Account account) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", account.getId());
        out.put("userName", account.getUsername());
        out.put("displayName", account.getDisplayName());
        out.put("active", account.isActive());
        return out;
    }
}
