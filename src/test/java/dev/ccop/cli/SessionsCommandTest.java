package dev.ccop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.session.SessionStore;
import dev.ccop.session.SessionStoreAccess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SessionsCommandTest {
    @TempDir
    Path state;

    private String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--state-dir";
        all[args.length + 1] = state.toString();
        int code = cli.execute(all);
        return code + ":" + out;
    }

    @Test
    void usersCanSeeAndPurgeWhatIsKept() {
        assertThat(run("sessions", "list")).startsWith("0:").contains("nothing has been stored");
        try (SessionStore store = SessionStore.open(state.resolve("sessions.db"))) {
            SessionStoreAccess.record(store, "s-1", "the deploy code is amber-4100");
            SessionStoreAccess.record(store, "s-2", "another session");
        }

        assertThat(run("sessions", "list")).startsWith("0:").contains("s-1").contains("s-2").contains("2 sessions");
        assertThat(run("sessions", "show", "s-1")).startsWith("0:").contains("amber-4100");
        assertThat(run("sessions", "show", "nope")).startsWith("1:").contains("No session nope");
        assertThat(run("sessions", "delete", "s-1")).startsWith("0:").contains("deleted s-1");
        assertThat(run("sessions", "list")).doesNotContain("s-1").contains("1 sessions");
        assertThat(run("sessions", "delete")).startsWith("2:").contains("--all");
        assertThat(run("sessions", "delete", "--all")).contains("deleted s-2");
        assertThat(run("sessions", "list")).contains("0 sessions");
    }
}
