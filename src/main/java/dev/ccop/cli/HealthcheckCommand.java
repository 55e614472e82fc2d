package dev.ccop.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code healthcheck}: exit 0 when the proxy on this machine answers {@code /health}, 1 otherwise — for a container's
 * HEALTHCHECK, where there is no curl.
 */
@Command(name = "healthcheck", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Exits 0 when the proxy answers /health on this machine, 1 otherwise (for container health"
                + " checks).")
final class HealthcheckCommand implements Callable<Integer> {

    @CommandLine.Option(names = "--port", paramLabel = "PORT",
            description = "The proxy's port (default: CCOP_PORT, else 11435).")
    Integer port;

    @Override
    public Integer call() throws InterruptedException {
        int target = port != null ? port : Integer.parseInt(System.getenv().getOrDefault("CCOP_PORT", "11435"));
        URI url = URI.create("http://127.0.0.1:" + target + "/health");
        try {
            HttpResponse<String> answer = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
                    .send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                return 0;
            }
            System.err.println(Main.NAME + ": " + url + " answered HTTP " + answer.statusCode());
        } catch (IOException e) {
            System.err.println(Main.NAME + ": no answer from " + url + " (" + e.getMessage() + ")");
        }
        return 1;
    }
}
