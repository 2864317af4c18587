package eu.tessera.server.login.local;

import eu.tessera.server.account.Account;
import eu.tessera.server.account.AccountRepository;
import java.time.Clock;
import java.util.List;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Loads an account by username for the password login; a suspended or expired account is disabled. */
@Service
public class AccountUserDetailsService implements UserDetailsService {

    private final AccountRepository accounts;
    private final Clock clock;

    public AccountUserDetailsService(AccountRepository accounts, Clock clock) {
        this.accounts = accounts;
        this.clock = clock;
    }

    @Override
    @Transactional(readOnly = true)
    public UserDetails loadUserByUsername(String username) {
        if (username == null || username.length() > 128) {
            throw new UsernameNotFoundException("unknown user");
        }
        Account account = accounts.findByUsername(username)
                .orElseThrow(() -> new UsernameNotFoundException("unknown user"));
        if (account.getPasswordHash() == null || account.isServiceAccount()) {
            throw new UsernameNotFoundException("no password login for this account");
        }
        List<GrantedAuthority> authorities = eu.tessera.server.account.AccountRoles.sessionRoles(account.isAdmin(),
                account.isReader());
        return new AccountUserDetails(account.getId(), account.getUsername(), account.getPasswordHash(),
                account.isUsable(clock.instant()), authorities);
    }
}
