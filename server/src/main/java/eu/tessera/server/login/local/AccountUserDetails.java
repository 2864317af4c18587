package eu.tessera.server.login.local;

import java.util.Collection;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;

/**
 * A logged-in account. The principal name is the account id (the token {@code sub}), which never changes;
 * the username is kept for display.
 */
public class AccountUserDetails extends User {

    private final String displayUsername;

    public AccountUserDetails(String accountId, String displayUsername, String passwordHash, boolean enabled,
            Collection<? extends GrantedAuthority> authorities) {
        super(accountId, passwordHash == null ? "" : passwordHash, enabled, true, true, true, authorities);
        this.displayUsername = displayUsername;
    }

    public String getDisplayUsername() {
        return displayUsername;
    }
}
