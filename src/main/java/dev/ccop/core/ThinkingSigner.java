package dev.ccop.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs thinking text the way Anthropic's API signs its thinking blocks, so that clients keep and return them:
 * an HMAC-SHA256 of the text under a key only this proxy holds ({@code thinking-key} in the state directory, made on
 * first use, readable by the owner only). {@link #verify} tells our own blocks from anyone else's.
 */
public final class ThinkingSigner {
    private static final String PREFIX = "ccop1:";
    private final SecretKeySpec key;

    public ThinkingSigner(byte[] key) {
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    public static ThinkingSigner fromKeyFile(Path file) {
        try {
            if (!Files.exists(file)) {
                createKey(file);
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(file).strip());
            if (key.length < 32) {
                throw new IllegalStateException(file + " holds a key shorter than 32 bytes; delete it to make a new one");
            }
            return new ThinkingSigner(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the thinking key " + file, e);
        }
    }

    private static void createKey(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            return; // another process made it first
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(key));
    }

    public String sign(String thinking) {
        return PREFIX + Base64.getEncoder().encodeToString(mac(thinking));
    }

    public boolean verify(String thinking, String signature) {
        if (signature == null || !signature.startsWith(PREFIX)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(signature.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(given, mac(thinking));
    }

    private byte[] mac(String thinking) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(thinking.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
