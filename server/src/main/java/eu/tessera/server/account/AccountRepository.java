package eu.tessera.server.account;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

/** Accounts by id and by username. */
public interface AccountRepository extends JpaRepository<Account, String> {

    Optional<Account> findByUsername(String username);
}
