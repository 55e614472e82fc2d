package dev.ccop.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/CLI.md's option table must list every option with its environment variable, key and default. */
class DocsTest {
    @Test
    void cliDocListsEveryOption() throws Exception {
        String doc = Files.readString(Path.of("docs", "CLI.md"));
        for (Option option : Option.values()) {
            String row = doc.lines().filter(l -> l.startsWith("| `" + option.flag() + "`")).findFirst().orElse("");
            assertThat(row).as(option.flag()).contains("`" + option.env + "`").contains("`" + option.key + "`");
            if (!option.defaultValue.isEmpty()) {
                assertThat(row).as(option.flag()).contains("`" + option.defaultValue + "`");
            }
        }
    }
}
