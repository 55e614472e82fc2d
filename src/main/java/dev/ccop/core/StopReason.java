package dev.ccop.core;

public enum StopReason { END_TURN, MAX_TOKENS, STOP_SEQUENCE, TOOL_USE }
