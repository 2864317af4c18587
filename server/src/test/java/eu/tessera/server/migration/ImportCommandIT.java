package eu.tessera.server.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The import exactly as the README tells an admin to run it: {@code java -jar tessera-server.jar import iam --url ..
 * --token-file .. [--dry-run]} (what {@code bin/run import iam ..} runs), with the server stopped, on the embedded
 * database in the working directory, against the IAM STAND-IN. The token stays out of the command line and out of
 * the output.
 */
class ImportCommandIT {

    @TempDir
    Path work;

    private record Run(int status, String output) {
    }

    private Run tessera(String... args) throws Exception {
        return tessera(java.util.Map.of(), args);
    }

    private Run tessera(java.util.Map<String, String> environment, String... args) throws Exception {
        Path jar = Path.of("target", "tessera-server.jar").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        builder.environment().put("TESSERA_ADMIN_PASSWORD", "import-command-admin");
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    private int count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + work.resolve("data/tessera")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "tessera", "");
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void theReadmeCommandDryRunThenImportOnTheEmbeddedDatabase() throws Exception {
        String token = "iam-token-" + UUID.randomUUID();
        Path tokenFile = work.resolve("iam-token");
        Files.writeString(tokenFile, token + "\n");
        try (IamStandIn iam = new IamStandIn(IamDataset.generate(120, "vo"), token)) {
            Run dry = tessera("import", "iam", "--url", iam.url(), "--token-file", tokenFile.toString(), "--dry-run",
                    "--report", "dry.json");
            assertThat(dry.status()).as(dry.output()).isZero();
            assertThat(dry.output()).contains("Dry run (nothing written)", "accounts", "created 118", "refused")
                    .doesNotContain(token);
            assertThat(count("select count(*) from account where username like 'vo%'")).isZero();
            assertThat(Files.readString(work.resolve("dry.json"))).contains("\"dryRun\" : true");

            Run real = tessera("import", "iam", "--url", iam.url(), "--token-file", tokenFile.toString(), "--report",
                    "import.json");
            assertThat(real.status()).as(real.output()).isZero();
            assertThat(real.output()).contains("Import from " + iam.url(), "created 118").doesNotContain(token);
            assertThat(count("select count(*) from account where username like 'vo%'")).isEqualTo(118);
            assertThat(count("select count(*) from vo_group where path like '/vo%'")).isEqualTo(17);

            // JSON logs, as the README's operations section documents (one ECS object per line)
            Run json = tessera(java.util.Map.of("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs"), "import", "iam", "--url",
                    iam.url(), "--token-file", tokenFile.toString(), "--dry-run", "--report", "json.json");
            assertThat(json.status()).as(json.output()).isZero();
            List<String> logLines = json.output().lines().filter(l -> l.startsWith("{")).toList();
            assertThat(logLines).isNotEmpty();
            for (String line : logLines) {
                assertThat(tools.jackson.databind.json.JsonMapper.builder().build().readTree(line).has("@timestamp"))
                        .as(line).isTrue();
            }
            assertThat(logLines).anyMatch(l -> l.contains("\"log\":{\"level\":\"INFO\"") && l.contains("\"message\":"));
            assertThat(json.output()).doesNotContain(token);

            Run refused = tessera("import", "iam", "--url", iam.url(), "--token-file", work.resolve("nothing")
                    .toString());
            assertThat(refused.status()).isEqualTo(2);
            assertThat(refused.output()).contains("cannot read the token file");
        }
    }
}
