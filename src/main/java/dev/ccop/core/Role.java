package dev.ccop.core;

public enum Role { SYSTEM, USER, ASSISTANT }
