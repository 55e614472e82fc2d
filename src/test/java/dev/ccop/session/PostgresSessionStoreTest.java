package dev.ccop.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ccop.ProxyApp;
import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.PostgresServer;
import dev.ccop.testing.TestConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store on a real PostgreSQL server, started by the test: the same contract as the embedded store, and two proxies
 * that share sessions through it.
 */
class PostgresSessionStoreTest extends SessionStoreTest {
    private static PostgresServer server;
    private static int databases;

    @BeforeAll
    static void startServer() throws Exception {
        Path bin = PostgresServer.binaries();
        assumeTrue(bin != null, "PostgreSQL is not installed here");
        server = PostgresServer.start(bin);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** A database of its own for each test: the contract's tests expect an empty store. */
    @Override
    SessionStore open() {
        String name = "store_" + databases;
        String url = server.url().replace("/postgres?", "/" + name + "?");
        try (var admin = java.sql.DriverManager.getConnection(server.url()); var st = admin.createStatement()) {
            var exists = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'");
            if (!exists.next()) {
                st.execute("CREATE DATABASE " + name);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return SessionStore.open(url);
    }

    @Override
    @Test
    void blocksAreStoredOnceByContentAndSessionsShareThem() {
        databases++;
        super.blocksAreStoredOnceByContentAndSessionsShareThem();
    }

    @Override
    @Test
    void stateSurvivesReopeningAndRetentionDeletesOldAndOversizedSessions() {
        databases++;
        super.stateSurvivesReopeningAndRetentionDeletesOldAndOversizedSessions();
    }

    @Test
    void aSecondProxyRecallsWhatTheFirstStored() throws Exception {
        databases++;
        open().close(); // creates the database
        String url = server.url().replace("/postgres?", "/store_" + databases + "?");
        FakeOllama ollama = new FakeOllama().model("qwen3:8b", "completion", "tools")
                .replier(request -> FakeOllama.Reply.text(request.path("messages").toString().contains("amber-4100")
                        ? "amber-4100" : "I do not know."));
        HttpClient http = HttpClient.newHttpClient();
        String session = "shared-session";
        ProxyApp first = proxy(ollama, url);
        ProxyApp second = proxy(ollama, url);
        try {
            post(http, first, session, "[{\"role\":\"user\",\"content\":\"Remember: the deploy code is amber-4100.\"},"
                    + "{\"role\":\"assistant\",\"content\":\"Noted.\"},{\"role\":\"user\",\"content\":\"Thanks.\"}]");
            // The second proxy gets the conversation as a client has it after compacting: a summary without the code.
            String answer = post(http, second, session, "[{\"role\":\"user\",\"content\":\"Summary: we talked"
                    + " about deploying.\"},{\"role\":\"assistant\",\"content\":\"Yes.\"},{\"role\":\"user\","
                    + "\"content\":\"What is the deploy code?\"}]");
            assertThat(answer).contains("amber-4100");
        } finally {
            first.stop();
            second.stop();
            ollama.close();
        }
    }

    private static ProxyApp proxy(FakeOllama ollama, String url) {
        TestConfig config = new TestConfig();
        config.ollamaUrl = ollama.url();
        config.defaultModel = "qwen3:8b";
        config.sessionStore = url;
        return ProxyApp.start(config.build());
    }

    private static String post(HttpClient http, ProxyApp proxy, String session, String messages) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + proxy.port() + "/v1/messages"))
                .header("Content-Type", "application/json").header("X-Claude-Code-Session-Id", session)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":50,"
                        + "\"messages\":" + messages + "}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
