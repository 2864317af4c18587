package eu.tessera.server.keys;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/** Signing keys by status. */
public interface SigningKeyRepository extends JpaRepository<SigningKey, String> {

    List<SigningKey> findByStatusIn(List<SigningKey.Status> statuses);
}
