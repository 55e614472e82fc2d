package dev.ccop.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PostgreSQL server for tests: the machine's own binaries (Debian's PostgreSQL, under
 * /usr/lib/postgresql), run as the {@code postgres} user (PostgreSQL refuses to run as root) in a temporary data
 * directory on a free loopback port, trusting local connections, removed when closed.
 */
public final class PostgresServer implements AutoCloseable {
    private final Path dir;
    private final Path bin;
    private final int port;

    private PostgresServer(Path dir, Path bin, int port) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
    }

    /** The binaries, or null (with the reason on stderr) when this machine cannot run a server for the tests. */
    public static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        try (var versions = Files.list(root)) {
            Path bin = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .sorted().reduce((a, b) -> b).orElse(null);
            if (bin != null && Files.isExecutable(Path.of("/usr/sbin/runuser"))
                    && "root".equals(System.getProperty("user.name"))) {
                return bin;
            }
        } catch (IOException e) {
            // reported below
        }
        System.err.println("PostgreSQL tests skipped: they need Debian's PostgreSQL under /usr/lib/postgresql"
                + " (apt-get install postgresql) and root, to start it as the postgres user");
        return null;
    }

    public static PostgresServer start(Path bin) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("ccop-postgres");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PostgresServer server = new PostgresServer(dir, bin, port);
        server.run(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "--auth=trust",
                "-U", "postgres", "--no-sync");
        server.run(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-l",
                dir.resolve("log").toString(), "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1"
                        + " -c fsync=off", "start");
        return server;
    }

    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    private void run(String... command) throws IOException, InterruptedException {
        List<String> asPostgres = new ArrayList<>(List.of("/usr/sbin/runuser", "-u", "postgres", "--"));
        asPostgres.addAll(List.of(command));
        Process process = new ProcessBuilder(asPostgres).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            run(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "stop");
        } finally {
            new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
        }
    }
}
