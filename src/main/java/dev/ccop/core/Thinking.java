package dev.ccop.core;

/**
 * Whether the client asked the model to reason. {@code level} ("low", "medium", "high", "max") is set when the
 * client named an effort; {@link #UNSPECIFIED} leaves the choice to the backend.
 */
public record Thinking(Boolean enabled, String level) {
    public static final Thinking UNSPECIFIED = new Thinking(null, null);
}
