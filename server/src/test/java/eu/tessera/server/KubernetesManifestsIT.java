package eu.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests (deploy/kubernetes, kustomize) as an operator applies them: rendered by kubectl kustomize
 * (base and the example overlay), every object validated against the Kubernetes API schemas by the npm
 * kubernetes-models package, and the objects checked against each other and against Tessera (selectors match the
 * pod labels, named ports exist, the probes' paths answer UP on a running Tessera without credentials, secrets only
 * by reference, every TESSERA_ variable is a documented property).
 */
@TesseraIntegrationTest
class KubernetesManifestsIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path NODE = Path.of("src/test/node").toAbsolutePath();

    @Autowired
    TesseraProperties properties;

    record Run(int exit, String output) {
    }

    private static Run run(String input, Path directory, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), output);
    }

    private static String render(String directory) throws Exception {
        Run rendered = run("", ROOT, "kubectl", "kustomize", "deploy/kubernetes/" + directory);
        assertThat(rendered.exit()).as(rendered.output()).isZero();
        return rendered.output();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(String yaml) {
        List<Map<String, Object>> out = new ArrayList<>();
        new Yaml().loadAll(yaml).forEach(o -> out.add((Map<String, Object>) o));
        return out;
    }

    private static Map<String, Object> one(List<Map<String, Object>> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.get("kind")) && name.equals(map(o, "metadata").get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> object, String... path) {
        Map<String, Object> at = object;
        for (String key : path) {
            at = (Map<String, Object>) at.get(key);
        }
        return at;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> object, String key) {
        return (List<Map<String, Object>>) object.get(key);
    }

    @Test
    void manifestsWhenRenderedThenValidAgainstTheKubernetesSchemas() throws Exception {
        assertThat(Files.isDirectory(NODE.resolve("node_modules/kubernetes-models")))
                .as("npm packages installed by the test command (bin/test)").isTrue();
        for (String directory : List.of("base", "example")) {
            Run validated = run(render(directory), NODE, "node", "k8s-validate.mjs");
            assertThat(validated.exit()).as(directory + ": " + validated.output()).isZero();
            assertThat(validated.output()).contains("Deployment/tessera", "Service/tessera", "Service/tessera-voms",
                    "PodDisruptionBudget/tessera", "HorizontalPodAutoscaler/tessera", "ConfigMap/tessera-config-");
        }
        // the validator does reject a broken object (a port given as a string)
        Run broken = run(render("example").replace("containerPort: 8080", "containerPort: \"8080\""), NODE, "node",
                "k8s-validate.mjs");
        assertThat(broken.exit()).isNotZero();
        assertThat(broken.output()).contains("containerPort must be integer");
    }

    @Test
    @SuppressWarnings("unchecked")
    void objectsWhenRenderedThenTheyFitTogetherAndFitTessera() throws Exception {
        List<Map<String, Object>> objects = objects(render("example"));
        Map<String, Object> deployment = one(objects, "Deployment", "tessera");
        assertThat((Integer) map(deployment, "spec").get("replicas")).isGreaterThanOrEqualTo(2);
        Map<String, Object> pod = map(deployment, "spec", "template");
        Map<String, Object> podLabels = map(pod, "metadata", "labels");
        assertThat(podLabels).containsAllEntriesOf(map(deployment, "spec", "selector", "matchLabels"));
        Map<String, Object> container = list(map(pod, "spec"), "containers").get(0);
        List<String> portNames = list(container, "ports").stream().map(p -> (String) p.get("name")).toList();
        assertThat(container.get("image")).isEqualTo("registry.example.org/tessera:1.0.0");

        // probes on the actuator, and they answer UP without credentials on a running Tessera
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            Map<String, Object> get = map(container, probe, "httpGet");
            assertThat(portNames).contains((String) get.get("port"));
            TesseraHttp.Response health = TesseraHttp.to(properties.issuer()).get((String) get.get("path"));
            assertThat(health.status()).as(probe).isEqualTo(200);
            assertThat(health.body()).as(probe).contains("\"status\":\"UP\"");
        }
        assertThat(map(container, "readinessProbe", "httpGet").get("path")).isEqualTo("/actuator/health/readiness");
        assertThat(map(container, "livenessProbe", "httpGet").get("path")).isEqualTo("/actuator/health/liveness");

        // resources from the measurements, hardened pod, no secret inline
        assertThat(map(container, "resources", "requests")).containsKeys("cpu", "memory");
        assertThat(map(container, "resources", "limits")).containsKey("memory");
        assertThat(map(pod, "spec", "securityContext")).containsEntry("runAsNonRoot", true)
                .containsEntry("runAsUser", 10001);
        assertThat(map(container, "securityContext")).containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false);
        assertThat(container).doesNotContainKey("env");
        List<Map<String, Object>> envFrom = list(container, "envFrom");
        assertThat(envFrom).anyMatch(e -> e.containsKey("secretRef")
                && "tessera-secrets".equals(((Map<String, Object>) e.get("secretRef")).get("name")));
        String configName = (String) ((Map<String, Object>) envFrom.stream().filter(e -> e.containsKey("configMapRef"))
                .findFirst().orElseThrow().get("configMapRef")).get("name");
        Map<String, Object> config = one(objects, "ConfigMap", configName);
        Map<String, Object> data = map(config, "data");
        assertThat(data).containsEntry("TESSERA_ISSUER", "https://iam.escape.example.org")
                .containsEntry("SERVER_ADDRESS", "0.0.0.0");
        assertThat(data.keySet()).noneMatch(k -> k.contains("SECRET") || k.contains("PASSWORD"));

        // every TESSERA_ variable is a documented property; the key files are where the config says
        String readme = Files.readString(ROOT.resolve("README.md"));
        for (String key : data.keySet()) {
            if (key.startsWith("TESSERA_")) {
                assertThat(readme).as(key).contains("`" + key + "`");
            }
        }
        List<Map<String, Object>> mounts = list(container, "volumeMounts");
        for (String file : List.of("TESSERA_VOMS_CERTIFICATE", "TESSERA_VOMS_PRIVATE_KEY", "TESSERA_VOMS_CA_DIRECTORY")) {
            String path = (String) data.get(file);
            assertThat(mounts).as(file).anyMatch(m -> path.startsWith((String) m.get("mountPath")));
        }
        assertThat(mounts).anyMatch(m -> "/tmp".equals(m.get("mountPath")));

        // the Services, the disruption budget and the autoscaler select these pods; named ports exist
        for (String name : List.of("tessera", "tessera-voms")) {
            Map<String, Object> service = one(objects, "Service", name);
            assertThat(podLabels).containsAllEntriesOf(map(service, "spec", "selector"));
            list(map(service, "spec"), "ports").forEach(p -> assertThat(portNames).contains((String) p.get("targetPort")));
        }
        assertThat(podLabels).containsAllEntriesOf(map(one(objects, "PodDisruptionBudget", "tessera"), "spec",
                "selector", "matchLabels"));
        Map<String, Object> hpa = one(objects, "HorizontalPodAutoscaler", "tessera");
        assertThat(map(hpa, "spec", "scaleTargetRef")).containsEntry("kind", "Deployment").containsEntry("name",
                "tessera");
        assertThat((Integer) map(hpa, "spec").get("minReplicas")).isGreaterThanOrEqualTo(2);
        Map<String, Object> ingress = one(objects, "Ingress", "tessera");
        Map<String, Object> backend = map(list(map(list(map(ingress, "spec"), "rules").get(0), "http"), "paths").get(0),
                "backend", "service");
        assertThat(backend.get("name")).isEqualTo("tessera");
        assertThat(list(map(one(objects, "Service", "tessera"), "spec"), "ports"))
                .anyMatch(p -> p.get("name").equals(map(backend, "port").get("name")));
        assertThat(list(map(ingress, "spec"), "tls").get(0).get("hosts")).asList()
                .contains(java.net.URI.create((String) data.get("TESSERA_ISSUER")).getHost());
        // one namespace for everything
        assertThat(objects.stream().filter(o -> !"Namespace".equals(o.get("kind")))
                .map(o -> map(o, "metadata").get("namespace"))).containsOnly("escape-iam");
    }
}
