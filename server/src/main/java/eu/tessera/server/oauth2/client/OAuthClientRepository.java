package eu.tessera.server.oauth2.client;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

/** Client registrations by internal id and by {@code client_id}. */
public interface OAuthClientRepository extends JpaRepository<OAuthClient, String> {

    Optional<OAuthClient> findByClientId(String clientId);

    java.util.List<OAuthClient> findByOwnerAccountIdOrderByCreatedAt(String ownerAccountId);
}
