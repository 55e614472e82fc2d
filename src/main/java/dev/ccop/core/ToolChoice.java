package dev.ccop.core;

/** How the model may use tools; {@code toolName} is set only for {@link Mode#TOOL}. */
public record ToolChoice(Mode mode, String toolName) {
    public enum Mode { AUTO, ANY, TOOL, NONE }

    public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
}
