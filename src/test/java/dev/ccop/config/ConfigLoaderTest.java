package dev.ccop.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Config load(Map<Option, String> flags, Map<String, String> env) {
        Map<Option, String> withState = new java.util.EnumMap<>(Option.class);
        withState.put(Option.STATE_DIR, dir.resolve("state").toString());
        withState.putAll(flags);
        return new ConfigLoader(withState, env, dir, null, dir.resolve("config.json"))
                .withDotEnv(dir.resolve(".env"), false).load();
    }

    @Test
    void defaults() {
        Config config = load(Map.of(), Map.of());

        assertThat(config.server().host()).isEqualTo("127.0.0.1");
        assertThat(config.server().port()).isEqualTo(11435);
        assertThat(config.upstream().ollamaUrl()).isEqualTo(URI.create("http://127.0.0.1:11434"));
        assertThat(config.models().modelMap().isEmpty()).isTrue();
        assertThat(config.models().defaultModel()).isNull();
        assertThat(config.upstream().requestTimeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(config.server().pingInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void flagBeatsEnvBeatsDotEnvBeatsFileBeatsDefault() throws Exception {
        Files.writeString(dir.resolve("config.json"),
                "{\"port\": 1001, \"host\": \"10.0.0.1\", \"default-model\": \"file-model\", \"log-level\": \"debug\"}");
        Files.writeString(dir.resolve(".env"), "CCOP_HOST=0.0.0.0\nexport CCOP_DEFAULT_MODEL=\"dotenv-model\" \n# c\n");

        Config config = load(Map.of(Option.PORT, "3000"), Map.of("CCOP_PORT", "2000", "CCOP_DEFAULT_MODEL", "env-model"));

        assertThat(config.server().port()).isEqualTo(3000);
        assertThat(config.models().defaultModel()).isEqualTo("env-model");
        assertThat(config.server().host()).isEqualTo("0.0.0.0");
        assertThat(config.logging().level()).isEqualTo("debug");
    }

    @Test
    void upstreamPoolsAndTaskRoutesFromFlagsAndTheConfigFile() throws Exception {
        Config flags = load(Map.of(Option.UPSTREAMS, "http://a:11434;weight=2;max=4,http://b:11434"), Map.of());
        assertThat(flags.upstream().hosts()).containsExactly(new Config.Host(URI.create("http://a:11434"), 2, 4),
                new Config.Host(URI.create("http://b:11434"), 1, 0));
        assertThat(load(Map.of(), Map.of()).upstream().hosts())
                .containsExactly(new Config.Host(URI.create("http://127.0.0.1:11434"), 1, 0));

        Files.writeString(dir.resolve("config.json"), "{\"upstreams\": [\"http://a:1\", {\"url\": \"http://b:2\","
                + " \"weight\": 3}], \"routes\": [{\"when\": \"background\", \"model\": \"qwen3:4b\"},"
                + " {\"when\": \"long-context\", \"over_tokens\": 24000, \"model\": \"big\"}]}");
        Config file = load(Map.of(), Map.of());
        assertThat(file.upstream().hosts()).extracting(Config.Host::weight).containsExactly(1, 3);
        assertThat(file.models().routes()).extracting(dev.ccop.core.TaskRoutes.Rule::kind)
                .containsExactly("background", "long-context");
    }

    @Test
    void badPoolsAndRoutesAreRefusedNamingTheSetting() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> load(Map.of(Option.UPSTREAMS, "http://a:1;weight=0"),
                Map.of())).hasMessageContaining("--upstream").hasMessageContaining("weight=0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> load(Map.of(Option.ROUTES,
                "[{\"when\":\"long-context\",\"model\":\"m\"}]"), Map.of()))
                .hasMessageContaining("routes").hasMessageContaining("over_tokens");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> load(Map.of(Option.ROUTES,
                "[{\"when\":\"sometimes\",\"model\":\"m\"}]"), Map.of())).hasMessageContaining("background");
    }

    @Test
    void ollamaHostFollowsOllamasOwnConvention() {
        assertThat(load(Map.of(), Map.of("OLLAMA_HOST", "0.0.0.0")).upstream().ollamaUrl())
                .isEqualTo(URI.create("http://127.0.0.1:11434"));
        assertThat(load(Map.of(), Map.of("OLLAMA_HOST", "gpu-box:9999")).upstream().ollamaUrl())
                .isEqualTo(URI.create("http://gpu-box:9999"));
        assertThat(load(Map.of(), Map.of("OLLAMA_HOST", "https://ollama.example")).upstream().ollamaUrl())
                .isEqualTo(URI.create("https://ollama.example:443"));
        assertThat(load(Map.of(), Map.of("OLLAMA_HOST", "x:1", "CCOP_OLLAMA_URL", "http://y:2/")).upstream().ollamaUrl())
                .isEqualTo(URI.create("http://y:2"));
    }

    @Test
    void modelMapInEveryForm() throws Exception {
        assertThat(load(Map.of(Option.MODEL_MAP, "claude-sonnet-4-5=qwen2.5-coder:7b, claude-haiku-*=llama3.1:8b"), Map.of())
                .models().modelMap().entries())
                .containsExactly(Map.entry("claude-sonnet-4-5", "qwen2.5-coder:7b"), Map.entry("claude-haiku-*", "llama3.1:8b"));
        assertThat(load(Map.of(Option.MODEL_MAP, "{\"claude-*\": \"qwen3:8b\"}"), Map.of()).models().modelMap().lookup("claude-x"))
                .contains("qwen3:8b");
        Files.writeString(dir.resolve("models.txt"), "claude-*=from-file:1\n");
        assertThat(load(Map.of(Option.MODEL_MAP, "@models.txt"), Map.of()).models().modelMap().lookup("claude-x"))
                .contains("from-file:1");
        Files.writeString(dir.resolve("config.json"), "{\"model-map\": {\"claude-*\": \"obj:1\"}}");
        assertThat(load(Map.of(), Map.of()).models().modelMap().lookup("claude-y")).contains("obj:1");
    }

    @Test
    void theOpenAiProviderNeedsAUrlAndKeepsItsKeyOutOfToString() {
        assertThatThrownBy(() -> load(Map.of(Option.PROVIDER, "openai"), Map.of()))
                .hasMessageContaining("--provider-url: required with --provider openai");

        Config config = load(Map.of(Option.PROVIDER, "openai"),
                Map.of("CCOP_PROVIDER_URL", "http://127.0.0.1:1234/v1/", "CCOP_PROVIDER_API_KEY", "sk-secret"));

        assertThat(config.upstream().provider()).isEqualTo(Config.Provider.OPENAI);
        assertThat(config.upstream().providerUrl()).isEqualTo(URI.create("http://127.0.0.1:1234/v1"));
        assertThat(config.upstream().providerApiKey()).isEqualTo("sk-secret");
        assertThat(config.toString()).doesNotContain("sk-secret");
        assertThatThrownBy(() -> load(Map.of(Option.PROVIDER, "bard"), Map.of())).hasMessageContaining("ollama, openai, anthropic or claude-agent");
        Config anthropic = load(Map.of(Option.PROVIDER, "anthropic"), Map.of("ANTHROPIC_API_KEY", "sk-ant-x"));
        assertThat(anthropic.upstream().providerUrl()).isEqualTo(URI.create("https://api.anthropic.com"));
        assertThat(anthropic.upstream().providerApiKey()).isEqualTo("sk-ant-x");
    }

    @Test
    void invalidValuesSayWhichSettingAndWhereItCameFrom() throws Exception {
        assertThatThrownBy(() -> load(Map.of(Option.PORT, "http"), Map.of()))
                .isInstanceOf(ConfigError.class)
                .hasMessage("--port: expected a port number from 0 to 65535, got 'http' (from --port)");
        assertThatThrownBy(() -> load(Map.of(), Map.of("CCOP_REQUEST_TIMEOUT", "-1")))
                .hasMessageContaining("from environment variable CCOP_REQUEST_TIMEOUT");
        assertThatThrownBy(() -> load(Map.of(Option.LOG_LEVEL, "loud"), Map.of()))
                .hasMessageContaining("one of error, warn, info, debug, trace");
        assertThatThrownBy(() -> load(Map.of(Option.MODEL_MAP, "claude-x"), Map.of()))
                .hasMessageContaining("expected 'client-name=ollama-model'");
        assertThatThrownBy(() -> load(Map.of(Option.OLLAMA_URL, "ftp://x"), Map.of()))
                .hasMessageContaining("--ollama-url");
        Files.writeString(dir.resolve("config.json"), "{\"prot\": 1}");
        assertThatThrownBy(() -> load(Map.of(), Map.of())).hasMessageContaining("unknown setting 'prot'");
        Files.writeString(dir.resolve("config.json"), "{oops");
        assertThatThrownBy(() -> load(Map.of(), Map.of())).hasMessageContaining("is not valid JSON");
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), Map.of(), dir, dir.resolve("nope.json"), null).load())
                .hasMessageContaining("file not found");
    }

    @Test
    void theAgentGetsAScrubbedEnvironmentAndAWorkingDirectoryOfItsOwn() {
        Map<String, String> env = Map.of("PATH", "/usr/bin", "HOME", "/home/u", "LC_ALL", "C.UTF-8",
                "CCOP_API_KEY", "proxy-key", "CCOP_PROVIDER_API_KEY", "provider-key", "ANTHROPIC_API_KEY", "sk-ant",
                "AWS_SECRET_ACCESS_KEY", "aws");
        Config.Agent agent = load(Map.of(), env).agent();
        assertThat(agent.environment()).containsOnlyKeys("PATH", "HOME", "LC_ALL");
        assertThat(agent.workdir()).isEqualTo(dir.resolve("state").resolve("agent-workdir"));
        assertThat(agent.toString()).doesNotContain("/usr/bin");

        Config.Agent named = load(Map.of(Option.AGENT_ENV, "ANTHROPIC_API_KEY"), env).agent();
        assertThat(named.environment()).containsEntry("ANTHROPIC_API_KEY", "sk-ant").doesNotContainKey("CCOP_API_KEY");
    }

    @Test
    void aDotEnvIsReadOnlyWhenNamedAndANamedOneMustExist() throws Exception {
        Files.writeString(dir.resolve(".env"), "CCOP_DEFAULT_MODEL=from-dotenv\n");
        Config without = new ConfigLoader(Map.of(), Map.of(), dir, null, null).load();
        assertThat(without.models().defaultModel()).isNull();
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), Map.of(), dir, null, null)
                .withDotEnv(dir.resolve("missing.env"), true)).hasMessageContaining("--env-file");
    }
}
