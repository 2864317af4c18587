package eu.tessera.server.group;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

/** Groups of the tree by id and path. */
public interface VoGroupRepository extends JpaRepository<VoGroup, String> {

    Optional<VoGroup> findByPath(String path);
}
