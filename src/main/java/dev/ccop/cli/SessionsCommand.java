package dev.ccop.cli;

import dev.ccop.session.SessionStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code claude-code-ollama-proxy sessions list|show ID|delete ID|--all}: what the session store keeps. */
@Command(name = "sessions", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "See and purge what the session store keeps. Takes the same options as serve (--state-dir,"
                + " --session-store).",
        subcommands = {SessionsCommand.ListSessions.class, SessionsCommand.Show.class, SessionsCommand.Delete.class})
final class SessionsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** A command on the store the serve options name; when there is no store yet, it says so and does nothing. */
    abstract static class StoreCommand implements Callable<Integer> {
        @CommandLine.Mixin
        ServeOptions options;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract int run(SessionStore store, PrintWriter out, PrintWriter err);

        /** The exit code when there is no store. */
        int withoutStore() {
            return 0;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String location = options.load(System.getenv(), ServeOptions.DotEnvLookup.HERE).sessions().store();
            if (!location.startsWith("jdbc:") && !Files.exists(Path.of(location))) {
                err.println("No session store at " + location + " (nothing has been stored).");
                return withoutStore();
            }
            try (SessionStore store = SessionStore.open(location)) {
                int code = run(store, out, err);
                out.flush();
                err.flush();
                return code;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The stored sessions, most recent first.")
    static final class ListSessions extends StoreCommand {
        @Override
        int run(SessionStore store, PrintWriter out, PrintWriter err) {
            List<SessionStore.SessionSummary> sessions = store.list();
            out.printf("%-38s %-20s %8s %7s %10s%n", "SESSION", "LAST USED", "REQUESTS", "BLOCKS", "TOKENS");
            for (SessionStore.SessionSummary s : sessions) {
                out.printf("%-38s %-20s %8d %7d %,10d%n", s.id(), Instant.ofEpochMilli(s.updatedAt())
                        .toString().substring(0, 19).replace('T', ' '), s.requests(), s.blocks(), s.tokens());
            }
            out.println(sessions.size() + " sessions");
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "What one session holds, block by block.")
    static final class Show extends StoreCommand {
        @CommandLine.Parameters(paramLabel = "SESSION")
        String id;

        @Override
        int withoutStore() {
            return 1;
        }

        @Override
        int run(SessionStore store, PrintWriter out, PrintWriter err) {
            List<SessionStore.StoredBlock> blocks = store.blocks(id);
            if (blocks.isEmpty()) {
                err.println("No session " + id);
                return 1;
            }
            for (SessionStore.StoredBlock b : blocks) {
                String text = b.text().replaceAll("\\s+", " ").strip();
                out.printf("%4d %-9s %-11s %-12s %6d  %s%n", b.turn(), b.role(), b.kind(), b.tool() == null ? ""
                        : b.tool(), b.tokens(), text.length() > 80 ? text.substring(0, 80) + "…" : text);
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete sessions and every block no other session holds.")
    static final class Delete extends StoreCommand {
        @CommandLine.Parameters(paramLabel = "SESSION", arity = "0..*")
        List<String> ids = List.of();

        @CommandLine.Option(names = "--all", description = "Delete every session.")
        boolean all;

        @Override
        public Integer call() {
            if (!all && ids.isEmpty()) {
                spec.commandLine().getErr().println("Name the sessions to delete, or --all.");
                return 2;
            }
            return super.call();
        }

        @Override
        int run(SessionStore store, PrintWriter out, PrintWriter err) {
            List<String> targets = all ? store.list().stream().map(SessionStore.SessionSummary::id).toList() : ids;
            int missing = 0;
            for (String id : targets) {
                if (store.delete(id)) {
                    out.println("deleted " + id);
                } else {
                    err.println("No session " + id);
                    missing++;
                }
            }
            return missing == 0 ? 0 : 1;
        }
    }
}
