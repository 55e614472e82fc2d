package dev.ccop.core;

/** A failure to report to the client, with the HTTP status to use when nothing has been sent yet. */
public class ProxyError extends RuntimeException {
    private final ErrorKind kind;
    private final int status;

    public ProxyError(ErrorKind kind, int status, String message) {
        super(message);
        this.kind = kind;
        this.status = status;
    }

    public ProxyError(ErrorKind kind, int status, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public static ProxyError invalidRequest(String message) {
        return new ProxyError(ErrorKind.INVALID_REQUEST, 400, message);
    }

    public static ProxyError notFound(String message) {
        return new ProxyError(ErrorKind.NOT_FOUND, 404, message);
    }

    public ErrorKind kind() {
        return kind;
    }

    public int status() {
        return status;
    }

    /** The status to answer with: an error status as it is, anything else (499 for a client gone, say) as 500. */
    public int httpStatus() {
        return status >= 400 && status < 600 ? status : 500;
    }
}
