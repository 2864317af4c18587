package eu.tessera.server.migration;

import eu.tessera.server.TesseraApplication;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar tessera-server.jar import iam --url https://iam.example.org --token-file token [--dry-run]
 * [--report import-report.json]}: starts Tessera on the configured database (the same configuration as the server:
 * {@code SPRING_DATASOURCE_URL} and the rest; its web port a free one on 127.0.0.1, no VOMS listener), reads the
 * source, imports, writes the
 * report (JSON) and prints a summary. The token is read from a file (or {@code TESSERA_IMPORT_TOKEN}), never from
 * the command line, where other users of the machine could see it. Exit status 0 when the import ran (refused rows
 * are in the report), 1 when it could not run, 2 for a usage error.
 */
public final class ImportCommand {

    private static final String USAGE = """
            usage: tessera import iam --url <IAM base URL> --token-file <file> [--dry-run] [--report <file>]
                   tessera import voms-admin --url https://<host>:8443/voms/<vo> [--proxy <file>]
                                             [--ca-dir <dir>] [--username-attribute <name>]
                                             [--dry-run] [--report <file>]
              iam: the token needs the scopes scim:read and iam:admin.read (or put it in TESSERA_IMPORT_TOKEN).
              voms-admin: a VO admin's proxy (default $X509_USER_PROXY, then /tmp/x509up_u<uid>), the server
              trusted through the CA directory (default /etc/grid-security/certificates); usernames are
              user.<VOMS id>, or the value of the VOMS generic attribute --username-attribute names.
              --dry-run   read everything, write nothing, print what would change
              --report    where the JSON report goes (default import-report-<time>.json)""";

    private ImportCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        boolean dryRun = false;
        if (args.length == 0 || !(args[0].equals("iam") || args[0].equals("voms-admin"))) {
            err.println(USAGE);
            return 2;
        }
        boolean voms = args[0].equals("voms-admin");
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--dry-run" -> dryRun = true;
                case "--url", "--token-file", "--report", "--proxy", "--ca-dir", "--username-attribute" -> {
                    if (i + 1 >= args.length) {
                        err.println(args[i] + " needs a value\n" + USAGE);
                        return 2;
                    }
                    options.put(args[i], args[++i]);
                }
                default -> {
                    err.println("unknown option " + args[i] + "\n" + USAGE);
                    return 2;
                }
            }
        }
        String url = options.get("--url");
        if (url == null || !(url.startsWith("https://") || !voms && (url.startsWith("http://127.0.0.1")
                || url.startsWith("http://localhost")))) {
            err.println("--url: the " + (voms ? "VO's https://<host>:8443/voms/<vo>" : "IAM's https://") + " address "
                    + "is needed\n" + USAGE);
            return 2;
        }
        Path reportFile = Path.of(options.getOrDefault("--report", "import-report-"
                + Instant.now().toString().replace(':', '-') + ".json"));
        if (voms) {
            String vo = url.replaceAll("/+$", "").substring(url.replaceAll("/+$", "").lastIndexOf('/') + 1);
            String proxy = options.getOrDefault("--proxy", System.getenv().getOrDefault("X509_USER_PROXY",
                    "/tmp/x509up_u" + uid()));
            Path caDir = Path.of(options.getOrDefault("--ca-dir", "/etc/grid-security/certificates"));
            if (!Files.isReadable(Path.of(proxy))) {
                err.println("cannot read the proxy " + proxy + ": make one with voms-proxy-init or grid-proxy-init, "
                        + "or name it with --proxy\n" + USAGE);
                return 2;
            }
            SpringApplication application = new SpringApplication(TesseraApplication.class);
            try (ConfigurableApplicationContext context = application.run("--"
                    + eu.tessera.server.config.IssuerDefault.IMPORT_MODE + "=true")) {
                return importFrom(context.getBean(Importer.class), url, () -> new VomsAdminSource(url, vo,
                        Path.of(proxy), caDir, options.get("--username-attribute")).read(), dryRun, reportFile, out,
                        err);
            }
        }
        String token;
        try {
            token = options.containsKey("--token-file")
                    ? Files.readString(Path.of(options.get("--token-file"))).strip()
                    : System.getenv().getOrDefault("TESSERA_IMPORT_TOKEN", "").strip();
        } catch (IOException e) {
            err.println("cannot read the token file: " + e.getMessage());
            return 2;
        }
        if (token.isEmpty()) {
            err.println("a token is needed: --token-file or TESSERA_IMPORT_TOKEN\n" + USAGE);
            return 2;
        }
        SpringApplication application = new SpringApplication(TesseraApplication.class);
        // the whole application (its security and session configuration need a web context) but reachable only
        // from this machine on a free port, and without the VOMS listener, so that it runs beside a live server
        try (ConfigurableApplicationContext context = application.run("--"
                + eu.tessera.server.config.IssuerDefault.IMPORT_MODE + "=true")) {
            return importIam(context.getBean(Importer.class), url, token, dryRun, reportFile, out, err);
        }
    }

    /** Reads the IAM, imports, writes the report; the exit status. */
    static int importIam(Importer importer, String url, String token, boolean dryRun, Path reportFile,
            PrintStream out, PrintStream err) {
        return importFrom(importer, url, () -> new IamSource(url, token).read(), dryRun, reportFile, out, err);
    }

    private static String uid() {
        try {
            return String.valueOf(Files.getAttribute(Path.of(System.getProperty("user.home")), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "0";
        }
    }

    /** Reads the source, imports, writes the report; the exit status. */
    static int importFrom(Importer importer, String url, java.util.function.Supplier<SourceData.Snapshot> source,
            boolean dryRun, Path reportFile, PrintStream out, PrintStream err) {
        SourceData.Snapshot data;
        try {
            data = source.get();
        } catch (ImportException e) {
            err.println("import not run: " + e.getMessage());
            return 1;
        }
        ImportReport report = importer.run(url, data, dryRun);
        try {
            // owner-only: the report may hold new client secrets
            Files.deleteIfExists(reportFile);
            Files.createFile(reportFile);
            try {
                Files.setPosixFilePermissions(reportFile, java.nio.file.attribute.PosixFilePermissions.fromString(
                        "rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // not a POSIX file system: the directory's permissions apply
            }
            Files.writeString(reportFile, JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                    .writeValueAsString(report.json()));
        } catch (IOException e) {
            err.println("cannot write the report " + reportFile + ": " + e.getMessage());
        }
        out.print(report.summary());
        out.println("Report: " + reportFile.toAbsolutePath());
        return 0;
    }
}
