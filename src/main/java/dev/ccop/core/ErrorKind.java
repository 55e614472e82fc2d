package dev.ccop.core;

/** What went wrong, independent of any dialect; each front names these in its own words. */
public enum ErrorKind {
    INVALID_REQUEST, AUTHENTICATION, PERMISSION, NOT_FOUND, REQUEST_TOO_LARGE, RATE_LIMIT, API_ERROR, OVERLOADED,
    TIMEOUT;

    /** The kind an HTTP status from an upstream stands for. */
    public static ErrorKind forStatus(int status) {
        return switch (status) {
            case 400, 422 -> INVALID_REQUEST;
            case 401 -> AUTHENTICATION;
            case 403 -> PERMISSION;
            case 404 -> NOT_FOUND;
            case 413 -> REQUEST_TOO_LARGE;
            case 429 -> RATE_LIMIT;
            case 503, 529 -> OVERLOADED;
            case 408, 504 -> TIMEOUT;
            default -> API_ERROR;
        };
    }
}
