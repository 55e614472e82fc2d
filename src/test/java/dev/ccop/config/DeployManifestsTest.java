package dev.ccop.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** deploy/kubernetes against the proxy it deploys: real settings, probes on real paths, selectors that match. */
class DeployManifestsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path DIR = Path.of("deploy", "kubernetes");

    private static Map<String, JsonNode> manifests() throws IOException {
        Map<String, JsonNode> byKind = new HashMap<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                JsonNode manifest = YAML.readTree(file.toFile());
                byKind.put(manifest.path("kind").asText(), manifest);
            }
        }
        return byKind;
    }

    @Test
    void everyObjectIsThereAndEverySettingIsAnOptionThatLoads() throws Exception {
        Map<String, JsonNode> m = manifests();
        assertThat(m).containsKeys("Deployment", "Service", "ConfigMap", "HorizontalPodAutoscaler",
                "PodDisruptionBudget", "Secret");

        Set<String> options = Arrays.stream(Option.values()).map(o -> o.env).collect(Collectors.toSet());
        Map<String, String> env = new HashMap<>();
        m.get("ConfigMap").path("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        JsonNode container = m.get("Deployment").path("spec").path("template").path("spec").path("containers").get(0);
        container.path("env").forEach(e -> env.put(e.path("name").asText(), "placeholder"));
        assertThat(options).containsAll(env.keySet());

        env.put("CCOP_API_KEY", "a-key");
        env.put("CCOP_SESSION_STORE", "jdbc:postgresql://postgres:5432/ccop?user=ccop&password=x");
        Config config = new ConfigLoader(Map.of(), env, Path.of(""), null, null).load();
        assertThat(config.upstream().hosts()).hasSize(3).allSatisfy(h -> assertThat(h.maxConcurrent()).isEqualTo(4));
        assertThat(config.server().host()).isEqualTo("0.0.0.0");
        assertThat(m.get("Deployment").path("spec").path("template").path("spec")
                .path("terminationGracePeriodSeconds").asLong())
                .as("pods outlive the drain period").isGreaterThan(config.server().drain().toSeconds());
    }

    @Test
    void probesSelectorsAndTargetsMatch() throws Exception {
        Map<String, JsonNode> m = manifests();
        JsonNode deployment = m.get("Deployment");
        JsonNode pod = deployment.path("spec").path("template");
        JsonNode container = pod.path("spec").path("containers").get(0);
        String portName = container.path("ports").get(0).path("name").asText();
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            assertThat(container.path(probe).path("httpGet").path("path").asText()).isEqualTo("/health");
            assertThat(container.path(probe).path("httpGet").path("port").asText()).isEqualTo(portName);
        }
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(11435);
        assertThat(pod.path("spec").path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.path("resources").path("requests").has("cpu")).isTrue();

        JsonNode labels = pod.path("metadata").path("labels");
        assertThat(deployment.path("spec").path("selector").path("matchLabels")).isEqualTo(labels);
        assertThat(m.get("Service").path("spec").path("selector")).isEqualTo(labels);
        assertThat(m.get("Service").path("spec").path("ports").get(0).path("targetPort").asText()).isEqualTo(portName);
        assertThat(m.get("PodDisruptionBudget").path("spec").path("selector").path("matchLabels")).isEqualTo(labels);
        JsonNode target = m.get("HorizontalPodAutoscaler").path("spec").path("scaleTargetRef");
        assertThat(target.path("kind").asText()).isEqualTo("Deployment");
        assertThat(target.path("name").asText()).isEqualTo(deployment.path("metadata").path("name").asText());
    }
}
