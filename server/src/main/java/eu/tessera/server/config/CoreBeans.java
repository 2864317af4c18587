package eu.tessera.server.config;

import eu.tessera.server.oauth2.client.SecretEncoders;
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

    @Bean
    PasswordEncoder passwordEncoder() {
        return SecretEncoders.delegating();
    }
}
