package dev.ccop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.anthropic.models.messages.MessageCreateParams;
import dev.ccop.testing.FakeOllama.Reply;
import dev.ccop.testing.ProxyHarness;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real headless Chromium: it loads without console errors or refused content, shows a request
 * made through the proxy, and leaves a screenshot in {@code target/status-page.png}. Skipped, and says so, where no
 * Chromium is installed ({@code .ci/run} installs Debian's).
 */
class StatusPageBrowserTest {
    @TempDir
    Path profile;

    @Test
    void thePageShowsARequestMadeThroughTheProxy() throws Exception {
        String chromium = chromium();
        assumeTrue(chromium != null, "Chromium is not installed: the status page browser test is skipped");
        try (ProxyHarness harness = ProxyHarness.standard()) {
            harness.ollama.enqueue(Reply.text("Hel", "lo").counts(31, 5));
            harness.anthropic().messages().create(MessageCreateParams.builder().model("claude-sonnet-4-5")
                    .maxTokens(50).addUserMessage("hi <script>alert(1)</script>").build());

            Browser dom = browse(chromium, harness.baseUrl() + "/", "--dump-dom");
            assertThat(dom.stdout()).contains("claude-sonnet-4-5").contains("qwen2.5-coder:7b")
                    .contains("answers at");
            assertThat(dom.stderr()).doesNotContain("Uncaught").doesNotContain("Refused to");

            Path screenshot = Path.of("target", "status-page.png").toAbsolutePath();
            Files.deleteIfExists(screenshot);
            browse(chromium, harness.baseUrl() + "/ui", "--screenshot=" + screenshot, "--window-size=1280,900");
            assertThat(screenshot).isNotEmptyFile();
        }
    }

    @Test
    void apiClientsCallingTheRootStillGetOllamasAnswer() throws Exception {
        try (ProxyHarness harness = ProxyHarness.standard()) {
            HttpResponse<String> api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(harness.baseUrl() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(api.body()).isEqualTo("Ollama is running");
            HttpResponse<String> browser = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(harness.baseUrl() + "/")).header("Accept", "text/html,application/xhtml+xml").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(browser.statusCode()).isEqualTo(302);
            assertThat(browser.headers().firstValue("Location")).hasValue("/ui");
        }
    }

    private record Browser(String stdout, String stderr) {}

    private Browser browse(String chromium, String url, String... action) throws Exception {
        List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile,
                "--virtual-time-budget=5000", "--enable-logging=stderr", "--v=0"));
        command.addAll(List.of(action));
        command.add(url);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("HOME", profile.toString());
        Path out = profile.resolve("stdout.txt");
        Path err = profile.resolve("stderr.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("Chromium finished").isTrue();
        return new Browser(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String chromium() throws IOException {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            try (Stream<String> dirs = Stream.of(path.split(java.io.File.pathSeparator))) {
                String found = dirs.map(dir -> Path.of(dir, name)).filter(Files::isExecutable).map(Path::toString)
                        .findFirst().orElse(null);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
