package dev.ccop.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.ProxyApp;
import dev.ccop.core.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted Claude Code-shaped session: the captured system prompt and tools of a real interactive Claude Code
 * request, turns of one user prompt and two tool round trips each with 2–3K-token results, facts planted in early
 * tool results and asked about at the end, and the session-title request Claude Code sends in the background every
 * few turns. The model is {@link FakeOllama} with its window and KV cache simulated ({@link OllamaContextModel}); it
 * answers a question by reading its prompt, the way a model that reads its context perfectly would, so an answer is
 * right exactly when the fact reached the model.
 */
public final class LongSession {
    public static final String MODEL = "qwen3:8b";
    public static final String SMALL_MODEL = "qwen3:0.6b";
    private static final Pattern QUESTION = Pattern.compile("deploy code for (service-\\d+)\\?");
    private static final String[] WORDS = {"amber", "birch", "cobalt", "dune", "ember", "fjord", "garnet", "harbor",
        "indigo", "juniper", "kelp", "lumen", "marble", "nectar", "onyx", "pylon"};

    /** How a run went: per question whether it was answered right, and what the fake model saw and evaluated. */
    /**
     * {@code clientTokens} holds each main request's own size, in order; {@code prepareNanos} the time the proxy
     * took for storing, fitting and recall of each request that went through the session layer, in the same order.
     */
    public record Report(int requests, int errors, List<Boolean> answers, List<OllamaContextModel.Evaluation> evaluations,
            long clientTokensOfLastRequest, List<Long> clientTokens, List<Long> prepareNanos) {
        public int truncated() {
            return (int) evaluations.stream().filter(e -> e.droppedMessages() > 0).count();
        }

        public long evaluated() {
            return evaluations.stream().mapToLong(OllamaContextModel.Evaluation::evaluated).sum();
        }

        public long correct() {
            return answers.stream().filter(a -> a).count();
        }
    }

    /** What varies between runs. */
    public record Options(int turns, int facts, Integer contextWindow, boolean sessions, String smallModel,
            int restartBeforeTurn, int summaryBeforeTurn, Path stateDir) {}

    private final Options options;
    private final JsonNode captured = Fixtures.claudeCode("interactive-main-request.json");
    private final String sessionId = "5e55a0e2-0000-4000-8000-" + Long.toHexString(System.nanoTime());
    private final Random random = new Random(42);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ArrayNode history = Json.MAPPER.createArrayNode();
    private final List<Boolean> answers = new ArrayList<>();
    private final List<Long> prepareTimes = new ArrayList<>();
    private final List<Long> clientTokens = new ArrayList<>();
    private FakeOllama ollama;
    private ProxyApp proxy;
    private int requests;
    private int errors;
    private long lastClientTokens;

    public LongSession(Options options) {
        this.options = options;
    }

    public Report run() throws Exception {
        OllamaContextModel context = new OllamaContextModel();
        ollama = new FakeOllama().model(MODEL, "completion", "tools").model(SMALL_MODEL, "completion", "tools")
                .simulateContext(context).replier(LongSession::reply);
        try {
            start();
            for (int turn = 1; turn <= options.turns(); turn++) {
                if (turn == options.restartBeforeTurn()) {
                    prepareTimes.addAll(proxy.sessions().prepareNanos());
                    proxy.stop();
                    start();
                }
                if (turn == options.summaryBeforeTurn()) {
                    summarise();
                }
                turn(turn);
                if (turn % 5 == 0) {
                    title();
                }
            }
            prepareTimes.addAll(proxy.sessions().prepareNanos());
        } finally {
            proxy.stop();
            ollama.close();
        }
        return new Report(requests, errors, answers, context.evaluations(), lastClientTokens, clientTokens, prepareTimes);
    }

    private void start() {
        TestConfig config = new TestConfig();
        config.ollamaUrl = ollama.url();
        config.defaultModel = MODEL;
        config.smallModel = options.smallModel();
        config.contextWindow = options.contextWindow();
        config.sessions = options.sessions();
        config.stateDir = options.stateDir();
        config.requestTimeout = Duration.ofSeconds(60);
        proxy = ProxyApp.start(config.build());
    }

    /** One turn: the user's prompt, two tool round trips (or a question), the assistant's closing words. */
    private void turn(int turn) throws Exception {
        int questions = Math.min(options.facts(), options.turns() / 4);
        int firstQuestion = options.turns() - questions + 1;
        if (turn >= firstQuestion) {
            int fact = turn - firstQuestion;
            addUser(text("Question: what is the deploy code for service-" + fact + "? Answer with the code only."));
            JsonNode answer = send();
            String said = answer.path("content").path(0).path("text").asText();
            answers.add(said.equals(code(fact)));
            addAssistant(answer);
            return;
        }
        addUser(text("Step " + turn + ": look at part " + turn + " of the service logs and the source, then go on."));
        for (int round = 0; round < 2; round++) {
            JsonNode call = send();
            addAssistant(call);
            JsonNode use = call.path("content").path(0);
            ArrayNode results = Json.MAPPER.createArrayNode();
            results.addObject().put("type", "tool_result").put("tool_use_id", use.path("id").asText())
                    .put("content", toolOutput(turn, round));
            addUser(results);
        }
        addAssistant(send());
    }

    /** What Claude Code's compaction leaves: the history replaced by one summary (here without the facts). */
    private void summarise() {
        history.removeAll();
        addUser(text("This session is being continued from a previous conversation that ran out of context. Summary:"
                + " the user and the assistant went through the service logs and the source, part by part; nothing is"
                + " left to do but answer the user's questions."));
        ArrayNode said = Json.MAPPER.createArrayNode();
        said.addObject().put("type", "text").put("text", "Understood.");
        ObjectNode message = history.addObject().put("role", "assistant");
        message.set("content", said);
    }

    /** Claude Code's background session-title request: the small (haiku) tier, no tools. */
    private void title() throws Exception {
        JsonNode small = Fixtures.claudeCode("small-model-request.json");
        ObjectNode body = small.deepCopy();
        body.put("model", "claude-haiku-4-5-20251001");
        body.put("max_tokens", 64);
        body.put("stream", false);
        ((ObjectNode) body.path("metadata")).put("user_id", "{\"session_id\":\"" + sessionId + "\"}");
        post(body);
    }

    private JsonNode send() throws Exception {
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", "claude-sonnet-4-5").put("max_tokens", 4096)
                .put("stream", false);
        body.set("system", captured.get("system"));
        body.set("tools", captured.get("tools"));
        body.set("messages", history.deepCopy());
        body.set("context_management", captured.get("context_management"));
        body.putObject("metadata").put("user_id", "{\"device_id\":\"d\",\"session_id\":\"" + sessionId + "\"}");
        lastClientTokens = Json.MAPPER.readTree(postTo("/v1/messages/count_tokens", body).body())
                .path("input_tokens").asLong();
        clientTokens.add(lastClientTokens);
        return post(body);
    }

    private JsonNode post(ObjectNode body) throws Exception {
        requests++;
        HttpResponse<String> response = postTo("/v1/messages", body);
        if (response.statusCode() != 200) {
            errors++;
            throw new IllegalStateException("request " + requests + " failed: " + response.body());
        }
        return Json.MAPPER.readTree(response.body());
    }

    private HttpResponse<String> postTo(String path, ObjectNode body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + path))
                .header("Content-Type", "application/json")
                .header("X-Claude-Code-Session-Id", sessionId)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** 2–3K tokens of log or source lines; in the early turns one of them is a fact asked about at the end. */
    private String toolOutput(int turn, int round) {
        StringBuilder out = new StringBuilder();
        int lines = 90 + random.nextInt(40);
        int factLine = random.nextInt(lines);
        int fact = turn - 1;
        for (int i = 0; i < lines; i++) {
            if (round == 0 && fact < options.facts() && i == factLine) {
                out.append("NOTE: the deploy code for service-").append(fact).append(" is ").append(code(fact))
                        .append('\n');
            }
            out.append(round == 0
                    ? String.format("2026-11-%02d 06:%02d:%02d worker-%d processed batch %d in %d ms (queue depth %d)%n",
                            1 + turn % 28, i % 60, random.nextInt(60), random.nextInt(32), random.nextInt(100_000),
                            random.nextInt(900), random.nextInt(40))
                    : String.format("    %d  fn handle_%d_%d(ctx: &Context) -> Result<u%d> { ctx.step(%d)?; }%n",
                            i + 1, turn, i, 8 << random.nextInt(3), random.nextInt(1_000)));
        }
        return out.toString();
    }

    static String code(int fact) {
        return WORDS[fact % WORDS.length] + "-" + (4_100 + fact * 37);
    }

    /**
     * The model: a question is answered from what the prompt holds; a step's prompt gets a Bash call, its first result
     * a Read call, its second a closing sentence.
     */
    private static FakeOllama.Reply reply(JsonNode request) {
        JsonNode messages = request.path("messages");
        JsonNode last = messages.get(messages.size() - 1);
        String prompt = messages.toString();
        Matcher question = QUESTION.matcher(last.path("content").asText());
        if ("user".equals(last.path("role").asText()) && question.find()) {
            Matcher fact = Pattern.compile("deploy code for " + question.group(1) + " is ([a-z]+-\\d+)").matcher(prompt);
            return FakeOllama.Reply.text(fact.find() ? fact.group(1) : "I do not know.");
        }
        if (request.path("tools").isEmpty()) {
            return FakeOllama.Reply.text("{\"title\":\"Service logs review\"}");
        }
        if ("user".equals(last.path("role").asText())) {
            return FakeOllama.Reply.text().toolCall(null, "Bash", "{\"command\":\"tail -n 120 service.log\"}");
        }
        int tools = 0;
        for (int i = messages.size() - 1; i >= 0 && "tool".equals(messages.get(i).path("role").asText()); i--) {
            tools++;
        }
        boolean afterFirstRound = tools > 0 && messages.size() > 2
                && messages.get(messages.size() - 2).path("tool_calls").toString().contains("Bash");
        return afterFirstRound
                ? FakeOllama.Reply.text().toolCall(null, "Read", "{\"file_path\":\"/home/user/project/src/main.rs\"}")
                : FakeOllama.Reply.text("Done with this part.");
    }

    private void addUser(JsonNode content) {
        ObjectNode message = history.addObject().put("role", "user");
        message.set("content", content);
    }

    private void addAssistant(JsonNode answer) {
        ObjectNode message = history.addObject().put("role", "assistant");
        message.set("content", answer.path("content"));
    }

    private static ArrayNode text(String text) {
        ArrayNode content = Json.MAPPER.createArrayNode();
        content.addObject().put("type", "text").put("text", text);
        return content;
    }

    /** The run as a readable line. */
    public static String describe(Report report) {
        return String.format("%d requests, %d errors, %d truncated by the window, %d of %d answers right, %,d tokens"
                        + " evaluated, client conversation at the end %,d tokens", report.requests(), report.errors(),
                report.truncated(), report.correct(), report.answers().size(), report.evaluated(),
                report.clientTokensOfLastRequest());
    }
}
