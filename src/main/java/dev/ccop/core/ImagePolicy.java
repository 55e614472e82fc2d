package dev.ccop.core;

/** What happens to images sent to a model that cannot see them. */
public enum ImagePolicy {
    /** Each image is replaced by a short text saying it was left out. */
    NOTICE,
    /** The request fails with a 400 that names the model. */
    ERROR
}
