package eu.tessera.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Tessera: identity and authorization service for research collaborations. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class TesseraApplication {

    public static void main(String[] args) {
        SpringApplication.run(TesseraApplication.class, args);
    }
}
