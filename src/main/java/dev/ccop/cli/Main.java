package dev.ccop.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.ccop.ProxyApp;
import dev.ccop.config.Config;
import dev.ccop.config.ConfigError;
import dev.ccop.observe.JsonLogLayout;
import dev.ccop.upstream.UpstreamHttp;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code claude-code-ollama-proxy}: serves by default; {@code serve} says the same explicitly. */
@Command(name = "claude-code-ollama-proxy", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        subcommands = {Main.Serve.class, ClaudeCommand.class, DoctorCommand.class, SessionsCommand.class,
                HealthcheckCommand.class, PullCommand.class},
        description = "Lets Claude Code and any Anthropic API client use models served by Ollama.%n"
                + "Run it, then point the client at it: ANTHROPIC_BASE_URL=http://127.0.0.1:11435")
public final class Main implements Callable<Integer> {
    static final String NAME = "claude-code-ollama-proxy";

    @CommandLine.Mixin
    ServeOptions options;

    public static void main(String[] args) {
        UpstreamHttp.useSmallReadBuffers();
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println(NAME + ": " + e.getMessage() + " (see --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(NAME + ": " + e.getMessage());
            return e instanceof ConfigError ? 2 : 1;
        });
        return cli;
    }

    @Override
    public Integer call() throws InterruptedException {
        return serve(options, Map.copyOf(System.getenv()));
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Run the proxy (the default command).")
    static final class Serve implements Callable<Integer> {
        @CommandLine.Mixin
        ServeOptions options;

        @Override
        public Integer call() throws InterruptedException {
            return serve(options, Map.copyOf(System.getenv()));
        }
    }

    static int serve(ServeOptions options, Map<String, String> env) throws InterruptedException {
        Config config = options.load(env, ServeOptions.DotEnvLookup.HERE);
        setLogging(config.logging());
        Config.Server listen = config.server();
        if (listen.apiKey() == null && !isLoopback(listen.host())) {
            System.err.println(NAME + ": warning: listening on " + listen.host() + " without --api-key: anyone who can"
                    + " reach this address can use the backend.");
        }
        ProxyApp server;
        try {
            server = ProxyApp.start(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException(startFailure(listen, e), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown(listen.drain());
            stopped.countDown();
            // Stopped as asked, so the exit is a success (a JVM ended by SIGTERM would otherwise report 143).
            Runtime.getRuntime().halt(0);
        }));
        String url = "http://" + listen.host() + ":" + server.port();
        System.out.println(NAME + " listening on " + url + " -> " + config.upstream().describe());
        System.out.println("Use it from Claude Code: ANTHROPIC_BASE_URL=" + url + " ANTHROPIC_AUTH_TOKEN="
                + (listen.apiKey() != null ? "<your --api-key>" : "ollama") + " claude");
        // What would make the first request fail, said now, one line each with its fix; serving goes on regardless
        // (Ollama may be started, or a model pulled, after the proxy).
        Thread.startVirtualThread(() -> new Doctor(config, env).upstream(server).stream()
                .filter(check -> check.status() == Doctor.Status.FAIL)
                .forEach(check -> System.err.println(NAME + ": " + check)));
        stopped.await();
        return 0;
    }

    private static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** The level, and for {@code json} one JSON object per line on standard error instead of the text pattern. */
    static void setLogging(Config.Logging logging) {
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(logging.level()));
        if (logging.json() && root.getAppender("STDERR") instanceof ConsoleAppender<ILoggingEvent> console) {
            JsonLogLayout layout = new JsonLogLayout();
            layout.setContext(root.getLoggerContext());
            layout.start();
            LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
            encoder.setContext(root.getLoggerContext());
            encoder.setLayout(layout);
            encoder.start();
            console.stop();
            console.setEncoder(encoder);
            console.start();
        }
    }

    /** Only a failure to bind is about the port; anything else (an unreadable key file, say) is said as it is. */
    private static String startFailure(Config.Server listen, RuntimeException e) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof java.net.BindException)) {
            cause = cause.getCause();
        }
        if (cause instanceof java.net.BindException) {
            return "cannot listen on " + listen.host() + ":" + listen.port() + ": " + cause.getMessage()
                    + " (is another proxy already running? try --port)";
        }
        return "cannot start: " + rootMessage(e);
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {NAME + " " + (version == null ? "dev" : version)};
        }
    }
}
