package eu.tessera.server.config;

import eu.tessera.server.oauth2.client.SecretEncoders;
import io.micrometer.observation.ObservationPredicate;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Beans every feature shares: the clock and the password/secret encoder. */
@Configuration(proxyBeanMethods = false)
public class CoreBeans {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Spring Security would observe every filter of every request; on the token endpoint that costs more than
     * the signature. HTTP request metrics stay.
     */
    @Bean
    ObservationPredicate noSecurityFilterObservations() {
        return (name, context) -> !name.startsWith("spring.security.");
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return SecretEncoders.delegating();
    }
}
