package dev.ccop.core;

public record Usage(int inputTokens, int outputTokens) {}
