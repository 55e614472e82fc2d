package dev.ccop.config;

/** An invalid setting: the CLI prints the message as one line and exits with code 2. */
public class ConfigError extends RuntimeException {
    public ConfigError(String message) {
        super(message);
    }
}
