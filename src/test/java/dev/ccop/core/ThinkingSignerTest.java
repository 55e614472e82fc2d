package dev.ccop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThinkingSignerTest {
    @TempDir
    Path dir;

    @Test
    void theKeyIsMadeOnceReadableByTheOwnerOnlyAndSignaturesSurviveARestart() throws Exception {
        Path keyFile = dir.resolve("state").resolve("thinking-key");
        ThinkingSigner first = ThinkingSigner.fromKeyFile(keyFile);
        String signature = first.sign("I should list the files.");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        ThinkingSigner afterRestart = ThinkingSigner.fromKeyFile(keyFile);
        assertThat(afterRestart.verify("I should list the files.", signature)).isTrue();
    }

    @Test
    void otherTextsKeysAndForeignSignaturesDoNotVerify() {
        ThinkingSigner signer = ThinkingSigner.fromKeyFile(dir.resolve("a"));
        ThinkingSigner other = ThinkingSigner.fromKeyFile(dir.resolve("b"));
        String signature = signer.sign("text");

        assertThat(signer.verify("text!", signature)).isFalse();
        assertThat(other.verify("text", signature)).isFalse();
        assertThat(signer.verify("text", "")).isFalse();
        assertThat(signer.verify("text", "EqQBCkgIBRABGAIiQL")).isFalse();
        assertThat(signer.verify("text", "ccop1:not base64!")).isFalse();
    }
}
