package dev.ccop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ccop.testing.FakeOllama;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
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
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The npm package as users get it: {@code npm pack}, installed from the tarball into a scratch prefix, then its
 * launcher runs {@code --version}, {@code doctor} and {@code serve} against the Ollama test double. The jar inside is
 * a manifest-only jar over this build's classes (the fat jar is built after the tests, in {@code package}); the
 * launcher runs whatever jar it ships. Skipped, and says so, where npm is missing.
 */
class NpmPackageTest {
    @TempDir
    Path work;

    @Test
    void packedInstalledAndRunFromAScratchPrefix() throws Exception {
        assumeTrue(onPath("npm"), "npm is not installed: the npm package test is skipped");
        Path pkg = work.resolve("pkg");
        copyTree(Path.of("npm"), pkg);
        Files.createDirectories(pkg.resolve("lib"));
        writePathingJar(pkg.resolve("lib/claude-code-ollama-proxy.jar"));

        run(pkg, List.of("npm", "pack", "--pack-destination", work.toString()));
        Path tarball;
        try (Stream<Path> files = Files.list(work)) {
            tarball = files.filter(p -> p.toString().endsWith(".tgz")).findFirst().orElseThrow();
        }
        Path prefix = work.resolve("prefix");
        run(work, List.of("npm", "install", "-g", "--prefix", prefix.toString(), "--no-audit", "--no-fund",
                tarball.toString()));
        String launcher = prefix.resolve("bin/claude-code-ollama-proxy").toString();

        assertThat(run(work, List.of(launcher, "--version"))).startsWith("claude-code-ollama-proxy ");

        try (FakeOllama ollama = new FakeOllama().model("qwen3:8b", "completion", "tools")) {
            // The doctor's verdict depends on this machine (is the claude CLI installed?); its checks ran through the
            // package's launcher when they reached the test double.
            String doctor = exec(work, List.of(launcher, "doctor", "--ollama-url", ollama.url().toString(),
                    "--default-model", "qwen3:8b", "--state-dir", work.resolve("state").toString())).output();
            assertThat(doctor).contains("ollama 0.33.0 answers at " + ollama.url())
                    .contains("Installed models: qwen3:8b");

            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            Process serve = start(work, List.of(launcher, "--port", Integer.toString(port), "--ollama-url",
                    ollama.url().toString(), "--default-model", "qwen3:8b", "--state-dir",
                    work.resolve("state").toString()));
            try {
                String health = awaitHealth(port);
                assertThat(health).contains("\"status\":\"ok\"");
            } finally {
                serve.destroy(); // SIGTERM, passed on to Java by the launcher
                assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(serve.exitValue()).isZero();
        }
    }

    private static String awaitHealth(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException notYet) {
                assertThat(System.nanoTime()).as("the proxy did not answer /health within 60 s").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }

    /** A jar whose manifest names the main class and, as its class path, this test run's classes and libraries. */
    private static void writePathingJar(Path jar) throws IOException {
        List<String> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            urls.add(Path.of(entry).toAbsolutePath().toUri().toString());
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // the manifest is the whole jar
        }
    }

    private static Process start(Path dir, List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("process-" + System.nanoTime() + ".log").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("HOME", dir.toString()); // no user settings, no npm cache of the user's
        return builder.start();
    }

    private record Result(int exit, String output) {}

    private static Result exec(Path dir, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("HOME", dir.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static String run(Path dir, List<String> command) throws Exception {
        Result result = exec(dir, command);
        assertThat(result.exit()).as(String.join(" ", command) + " said:\n" + result.output()).isZero();
        return result.output();
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path relative = from.relativize(source);
                if (relative.startsWith("lib") || source.toString().endsWith(".tgz")) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
