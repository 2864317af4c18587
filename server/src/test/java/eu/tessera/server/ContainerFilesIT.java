package eu.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The container files as a user runs them, checked here where no Docker engine runs: the Dockerfile linted
 * (npm dockerfilelint) and its build stage carried out step by step outside Docker from a copy of exactly what its
 * COPY lines take (so it builds from a fresh clone, no prebuilt jar); the compose file validated by Debian's
 * docker-compose with the example environment; the TLS front end's nginx configuration tested by nginx -t.
 */
class ContainerFilesIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path DOCKER = ROOT.resolve("docker");

    record Run(int exit, String output) {
    }

    private static Run run(Path directory, Map<String, String> environment, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(15, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
        return new Run(process.exitValue(), output);
    }

    @Test
    void dockerfileWhenLintedThenNoIssuesAndItsStagesFitTogether() throws Exception {
        Run lint = run(ROOT, Map.of(), List.of(ROOT.resolve("server/src/test/node/node_modules/.bin/dockerfilelint")
                .toString(), "docker/Dockerfile"));
        assertThat(lint.exit()).as(lint.output()).isZero();
        assertThat(lint.output()).contains("Issues: None found");
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        assertThat(dockerfile).contains("FROM maven:", "AS build", "COPY --from=build /src/server/target/tessera-server.jar",
                "USER tessera", "HEALTHCHECK", "/actuator/health/readiness");
        // every module of the reactor reaches the build stage
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        while (module.find()) {
            assertThat(dockerfile).contains("COPY " + module.group(1) + "/pom.xml " + module.group(1) + "/");
        }
        assertThat(Files.readString(ROOT.resolve(".dockerignore"))).contains("**/target", "data", "docker/tessera.env");
    }

    /** The measured memory settings (README "Memory and threads") are the same wherever Tessera is started. */
    @Test
    void shippedJvmDefaultsWhenReadThenBinRunTheImageAndKubernetesAgree() throws Exception {
        String run = Files.readString(ROOT.resolve("bin/run"));
        Matcher java = Pattern.compile("(?m)^TESSERA_JAVA_DEFAULTS=\"([^\"]+)\"$").matcher(run);
        Matcher environment = Pattern.compile("(?m)^TESSERA_ENV_DEFAULTS=\"([^\"]+)\"$").matcher(run);
        assertThat(java.find()).isTrue();
        assertThat(environment.find()).isTrue();
        String options = java.group(1);
        assertThat(options).contains("-XX:+UseSerialGC", "-Xmx128m", "-XX:+ExitOnOutOfMemoryError");
        assertThat(environment.group(1)).isEqualTo("MALLOC_ARENA_MAX=2");
        assertThat(run).contains("export MALLOC_ARENA_MAX=\"${MALLOC_ARENA_MAX:-2}\"");
        String runtimeEnv = Files.readAllLines(ROOT.resolve("docker/Dockerfile")).stream()
                .filter(line -> line.startsWith("ENV ") && line.contains("JAVA_TOOL_OPTIONS")).findFirst().orElseThrow();
        assertThat(runtimeEnv).contains("MALLOC_ARENA_MAX=2", "JAVA_TOOL_OPTIONS=\"" + options + "\"");
        List<String> kubernetes = Files.readAllLines(ROOT.resolve("deploy/kubernetes/base/tessera.env"));
        assertThat(kubernetes).contains("MALLOC_ARENA_MAX=2", "JAVA_TOOL_OPTIONS=" + options);
    }

    @Test
    void dockerfileBuildStageWhenCarriedOutOutsideDockerThenTheJarTheImageCopiesExists() throws Exception {
        List<String> lines = Files.readAllLines(DOCKER.resolve("Dockerfile"));
        Path work = Files.createTempDirectory("tessera-image-build");
        Path workdir = work;
        String command = null;
        boolean inBuild = false;
        for (String line : lines) {
            String text = line.strip();
            if (text.startsWith("FROM ")) {
                if (inBuild) {
                    break;   // the runtime stage starts
                }
                inBuild = text.endsWith(" AS build");
            } else if (inBuild && text.startsWith("WORKDIR ")) {
                workdir = work.resolve(text.substring(8).strip().replaceFirst("^/", ""));
                Files.createDirectories(workdir);
            } else if (inBuild && text.startsWith("COPY ")) {
                String[] parts = text.substring(5).strip().split(" +");
                Path destination = workdir.resolve(parts[parts.length - 1]);
                for (int i = 0; i < parts.length - 1; i++) {
                    copy(ROOT.resolve(parts[i]), parts[parts.length - 1].endsWith("/")
                            ? destination.resolve(Path.of(parts[i]).getFileName()) : destination);
                }
            } else if (inBuild && text.startsWith("RUN ")) {
                command = text.substring(4).strip();
            }
        }
        assertThat(command).startsWith("mvn ");
        List<String> argv = new ArrayList<>(List.of(command.split(" +")));
        Run build = run(workdir, Map.of(), argv);
        assertThat(build.exit()).as(build.output()).isZero();
        // COPY --from=build /src/server/target/tessera-server.jar
        assertThat(workdir.resolve("server/target/tessera-server.jar")).isRegularFile();
        assertThat(Files.size(workdir.resolve("server/target/tessera-server.jar"))).isGreaterThan(10_000_000);
    }

    /** A JDK 25 (the image's runtime) under /usr/lib/jvm: Temurin's or Debian's (bin/test installs one if missing). */
    static Path jdk25() throws IOException {
        try (var jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(p -> p.getFileName().toString().matches(".*-25-.*|.*-25|temurin-25.*"))
                    .filter(p -> Files.isExecutable(p.resolve("bin/java"))).sorted().findFirst()
                    .orElseThrow(() -> new AssertionError("no JDK 25 under /usr/lib/jvm: bin/test installs one"));
        }
    }

    /** The Dockerfile's lines, continuation lines joined. */
    private static List<String> instructions() throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(DOCKER.resolve("Dockerfile"))) {
            String text = line.strip();
            if (text.startsWith("#") && current.isEmpty()) {
                continue;
            }
            if (text.endsWith("\\")) {
                current.append(text, 0, text.length() - 1).append(' ');
            } else {
                out.add(current.append(text).toString().strip());
                current.setLength(0);
            }
        }
        return out;
    }

    /**
     * The image's ahead-of-time stage carried out outside Docker with a JDK 25, /opt/tessera mapped to a temporary
     * directory: the jar this build made is extracted and a training run writes the AOT cache; then the server starts
     * as the image's ENTRYPOINT and JAVA_TOOL_OPTIONS start it, with {@code -XX:AOTMode=on} so that a cache the JVM
     * cannot use stops it instead of being skipped quietly, and becomes ready.
     */
    @Test
    void dockerfileAotStageWhenCarriedOutWithJdk25ThenTheServerStartsFromItsCache() throws Exception {
        Path jvm = jdk25().resolve("bin/java");
        Path opt = Files.createTempDirectory("tessera-opt");
        List<String> lines = instructions();
        String stage = null;
        String run = null;
        String toolOptions = null;
        String entrypoint = null;
        for (String text : lines) {
            if (text.startsWith("FROM ")) {
                stage = text.endsWith(" AS aot") ? "aot" : text.contains(" AS ") ? "other" : "runtime";
                if (stage.equals("runtime")) {
                    assertThat(text).contains("eclipse-temurin:25");
                }
            } else if ("aot".equals(stage) && text.startsWith("COPY --from=build ")) {
                String[] parts = text.split(" +");
                Path target = Path.of(parts[parts.length - 1].replace("/opt/tessera", opt.toString()));
                Files.createDirectories(target.getParent());
                Files.copy(Path.of("target/tessera-server.jar"), target);
            } else if ("aot".equals(stage) && text.startsWith("RUN ")) {
                run = text.substring(4).replace("/opt/tessera", opt.toString());
            } else if ("runtime".equals(stage) && text.startsWith("ENV ")) {
                Matcher options = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]*)\"").matcher(text);
                assertThat(options.find()).isTrue();
                toolOptions = options.group(1);
            } else if ("runtime".equals(stage) && text.startsWith("ENTRYPOINT ")) {
                entrypoint = text.substring("ENTRYPOINT ".length());
            }
        }
        assertThat(run).contains("-XX:AOTCacheOutput=", "-Dspring.context.exit=onRefresh");
        Run training = run(opt, Map.of("PATH", jvm.getParent() + ":" + System.getenv("PATH")),
                List.of("bash", "-c", run));
        assertThat(training.exit()).as(training.output()).isZero();
        assertThat(opt.resolve("app/tessera.aot")).isRegularFile();
        assertThat(opt.resolve("build")).doesNotExist();

        List<String> command = new ArrayList<>();
        Matcher argument = Pattern.compile("\"([^\"]*)\"").matcher(entrypoint);
        while (argument.find()) {
            command.add(argument.group(1).replace("/opt/tessera", opt.toString()));
        }
        assertThat(command.get(0)).isEqualTo("java");
        command.set(0, jvm.toString());
        command.add(1, "-XX:AOTMode=on");
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        command.addAll(List.of("--server.port=" + port, "--tessera.issuer=http://127.0.0.1:" + port));
        Path home = Files.createTempDirectory("tessera-home");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("server.log").toFile());
        builder.environment().put("JAVA_TOOL_OPTIONS", toolOptions);
        Process server = builder.start();
        try {
            String readiness = null;
            for (int i = 0; i < 600 && server.isAlive() && readiness == null; i++) {
                try {
                    var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    readiness = response.statusCode() == 200 ? response.body() : null;
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            assertThat(readiness).as(Files.readString(home.resolve("server.log"))).contains("\"status\":\"UP\"");
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void copy(Path source, Path target) throws IOException {
        if (Files.isDirectory(source)) {
            try (var files = Files.walk(source)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (file.toString().contains("/node_modules/") || file.toString().contains("/target/")) {
                        continue;   // .dockerignore: **/node_modules, **/target
                    }
                    Path to = target.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(to);
                    } else {
                        Files.createDirectories(to.getParent());
                        Files.copy(file, to);
                    }
                }
            }
        } else {
            Files.createDirectories(target.getParent());
            Files.copy(source, target);
        }
    }

    @Test
    void composeFileWhenValidatedWithTheExampleEnvironmentThenHealthyDependenciesRestartsAndKeyMounts()
            throws Exception {
        Run config = run(ROOT, Map.of(), List.of("docker-compose", "-f", "docker/compose.yml", "--env-file",
                "docker/tessera.env.example", "config"));
        assertThat(config.exit()).as(config.output()).isZero();
        String resolved = config.output();
        assertThat(resolved).contains("condition: service_healthy", "restart: unless-stopped", "start_period: 1m",
                "pg_isready", "/etc/tessera/voms:ro", "/etc/tessera/saml:ro", "/etc/grid-security/certificates:ro",
                "SERVER_FORWARD_HEADERS_STRATEGY: framework", "TESSERA_ISSUER: https://", "/etc/nginx/tls:ro");
        assertThat(resolved.split("condition: service_healthy", -1)).as("tessera waits for postgres, the proxy "
                + "for tessera").hasSize(3);
        // a required secret left out stops compose with a message naming it
        Path empty = Files.createTempFile("tessera", ".env");
        Run missing = run(ROOT, Map.of(), List.of("docker-compose", "-f", "docker/compose.yml", "--env-file",
                empty.toString(), "config"));
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.output()).contains("POSTGRES_PASSWORD");
    }

    @Test
    void tlsFrontEndConfigurationWhenTestedByNginxThenValid() throws Exception {
        Path dir = Files.createTempDirectory("tessera-nginx");
        Files.createDirectories(dir.resolve("tls"));
        Run certificate = run(dir, Map.of(), List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", "tls/tls.key", "-out", "tls/tls.crt", "-days", "1", "-subj", "/CN=iam.example.org"));
        assertThat(certificate.exit()).as(certificate.output()).isZero();
        Files.writeString(dir.resolve("site.conf"), Files.readString(DOCKER.resolve("nginx.conf"))
                .replace("/etc/nginx/tls/", dir.resolve("tls") + "/"));
        Files.writeString(dir.resolve("main.conf"), "pid " + dir.resolve("nginx.pid") + ";\nerror_log "
                + dir.resolve("error.log") + ";\nevents {}\nhttp {\n  access_log off;\n  include "
                + dir.resolve("site.conf") + ";\n}\n");
        String nginx = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
        Run test = run(dir, Map.of(), List.of(nginx, "-t", "-c", dir.resolve("main.conf").toString(), "-p",
                dir.toString()));
        assertThat(test.exit()).as(test.output()).isZero();
        assertThat(test.output()).contains("test is successful");
        assertThat(Files.readString(DOCKER.resolve("nginx.conf"))).contains("X-Forwarded-Proto https",
                "return 301 https://");
    }
}
