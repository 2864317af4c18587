package eu.tessera.server.account;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/** Account attributes. */
public interface AccountAttributeRepository extends JpaRepository<AccountAttribute, AccountAttribute.Key> {

    List<AccountAttribute> findByKeyAccountIdOrderByKeyName(String accountId);
}
