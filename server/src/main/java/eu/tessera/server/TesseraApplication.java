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
        if (args.length > 0 && args[0].equals("import")) {   // moving a VO here: see README, "Moving from INDIGO IAM"
            System.exit(eu.tessera.server.migration.ImportCommand.run(java.util.Arrays.copyOfRange(args, 1,
                    args.length), System.out, System.err));
        }
        SpringApplication.run(TesseraApplication.class, args);
    }
}
