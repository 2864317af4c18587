package eu.tessera.server.login.local;

import org.springframework.data.jpa.repository.JpaRepository;

/** Failed-login counters. */
public interface LoginThrottleRepository extends JpaRepository<LoginThrottleRecord, String> {
}
