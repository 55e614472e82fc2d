package dev.ccop.core;

import com.fasterxml.jackson.databind.JsonNode;

/** A function the model may call; {@code inputSchema} is a JSON Schema object, kept byte-for-byte in order. */
public record Tool(String name, String description, JsonNode inputSchema) {}
