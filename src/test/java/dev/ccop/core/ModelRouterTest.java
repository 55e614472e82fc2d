package dev.ccop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelRouterTest {

    /** A catalog whose contents the test controls; counts refreshes. */
    static final class Catalog implements ModelCatalog {
        final List<InstalledModel> models = new ArrayList<>();
        int refreshes;

        Catalog with(String name, String... capabilities) {
            models.add(new InstalledModel(name, List.of(capabilities), null));
            return this;
        }

        @Override
        public List<InstalledModel> models() {
            return models;
        }

        @Override
        public List<InstalledModel> refresh() {
            refreshes++;
            return models;
        }

        @Override
        public String name() {
            return "ollama";
        }

        @Override
        public String describeLocation() {
            return "Ollama at http://test";
        }

        @Override
        public String installHint(String model) {
            return "Run `ollama pull " + model + "`.";
        }
    }

    private static ModelMap map(String... pairs) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            entries.put(pairs[i], pairs[i + 1]);
        }
        return ModelMap.of(entries);
    }

    @Test
    void exactEntryThenPatternThenInstalledNameThenTiersThenDefault() {
        Catalog catalog = new Catalog().with("qwen3:8b").with("llama3.1:8b").with("qwen3:0.6b").with("mistral:latest");
        ModelRouter router = new ModelRouter(
                map("claude-sonnet-4-5", "qwen3:8b", "claude-*sonnet*", "llama3.1:8b"), "qwen3:8b", "qwen3:0.6b", catalog);

        assertThat(router.resolve("claude-sonnet-4-5")).isEqualTo("qwen3:8b");
        assertThat(router.resolve("claude-sonnet-4-6")).isEqualTo("llama3.1:8b");
        assertThat(router.resolve("mistral")).isEqualTo("mistral");
        assertThat(router.resolve("claude-haiku-4-5-20251001")).isEqualTo("qwen3:0.6b");
        assertThat(router.resolve("claude-opus-4-1")).isEqualTo("qwen3:8b");
        assertThatThrownBy(() -> router.resolve("gpt-4o")).isInstanceOfSatisfying(ProxyError.class, e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.getMessage()).contains("'gpt-4o' is not installed").contains("ollama pull gpt-4o")
                    .contains("Installed: qwen3:8b, llama3.1:8b, qwen3:0.6b, mistral:latest");
        });
    }

    @Test
    void otherNamesFallBackToTheDefaultOnlyWhenTheUserSaysSo() {
        Catalog catalog = new Catalog().with("qwen3:8b");
        ModelRouter router = new ModelRouter(ModelMap.empty(), "qwen3:8b", null, catalog, map("gpt-*", "gpt-*"));

        assertThat(router.resolve("gpt-4o")).isEqualTo("qwen3:8b");
        assertThat(router.resolve("claude-opus-4-1")).isEqualTo("qwen3:8b");
        assertThatThrownBy(() -> router.resolve("llama3.1:70b")).isInstanceOf(ProxyError.class)
                .hasMessageContaining("--fallback-model-for");
    }

    @Test
    void patternsAreCaseInsensitiveGlobsTriedInOrder() {
        Catalog catalog = new Catalog().with("a:1").with("b:1");
        ModelRouter router = new ModelRouter(map("claude-*-4-5*", "a:1", "claude-*", "b:1"), null, null, catalog);

        assertThat(router.resolve("Claude-Sonnet-4-5-20250929")).isEqualTo("a:1");
        assertThat(router.resolve("claude-opus-4-1")).isEqualTo("b:1");
        assertThat(ModelMap.globToRegex("a.b*").matcher("axb").matches()).isFalse();
    }

    @Test
    void withoutADefaultTheNewestInstalledChatModelAnswers() {
        Catalog catalog = new Catalog().with("nomic-embed-text", "embedding").with("qwen3:8b", "completion", "tools");

        assertThat(new ModelRouter(ModelMap.empty(), null, null, catalog).resolve("claude-opus-4-1")).isEqualTo("qwen3:8b");
    }

    @Test
    void haikuGoesToTheDefaultWhenNoSmallModelIsSet() {
        Catalog catalog = new Catalog().with("qwen3:8b");

        assertThat(new ModelRouter(ModelMap.empty(), "qwen3:8b", null, catalog).resolve("claude-haiku-4-5"))
                .isEqualTo("qwen3:8b");
    }

    @Test
    void aTargetThatIsNotInstalledIsA404WithThePullCommandAfterOneRefresh() {
        Catalog catalog = new Catalog().with("qwen3:8b");
        ModelRouter router = new ModelRouter(map("claude-*", "llama3.3:70b"), null, null, catalog);

        assertThatThrownBy(() -> router.resolve("claude-opus-4-1"))
                .isInstanceOfSatisfying(ProxyError.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
                })
                .hasMessageContaining("ollama pull llama3.3:70b");
        assertThat(catalog.refreshes).isEqualTo(1);
    }

    @Test
    void noChatModelAtAllIsA404ThatSaysWhatToInstall() {
        assertThatThrownBy(() -> new ModelRouter(ModelMap.empty(), null, null, new Catalog()).resolve("claude-x"))
                .isInstanceOf(ProxyError.class).hasMessageContaining("no chat model installed");
    }

    @Test
    void latestTagIsImplied() {
        Catalog catalog = new Catalog().with("llama3:latest");

        assertThat(new ModelRouter(map("claude-*", "llama3"), null, null, catalog).resolve("claude-x"))
                .isEqualTo("llama3:latest");
        assertThat(ModelRouter.withTag("registry.local:5000/llama3")).isEqualTo("registry.local:5000/llama3:latest");
    }
}
