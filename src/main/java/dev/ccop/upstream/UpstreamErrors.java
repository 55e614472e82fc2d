package dev.ccop.upstream;

import dev.ccop.core.ErrorKind;
import dev.ccop.core.ProxyError;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;

/** How one upstream's failures read: an error status with its body, or a transport failure. */
public interface UpstreamErrors {

    ProxyError status(int status, String body);

    ProxyError transport(Throwable cause);

    /**
     * The one reading of a transport failure for every backend: a timeout (connect, metadata or first byte) is a 504
     * {@code timeout}; a refused connection, a DNS failure or a reset is a 502 that says what was tried.
     *
     * @param upstream who was called, with where: "Ollama at http://…"
     * @param unreachableFix what to do when it cannot be reached
     * @param timeoutFix what to do when it was too slow (may be empty)
     */
    static ProxyError transportFailure(Throwable failure, String upstream, String unreachableFix, String timeoutFix) {
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof ConnectException)
                && !(cause instanceof HttpTimeoutException) && !(cause instanceof SocketTimeoutException)) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpTimeoutException || cause instanceof SocketTimeoutException) {
            return new ProxyError(ErrorKind.TIMEOUT, 504, upstream + " did not answer in time (" + cause.getMessage()
                    + ")." + (timeoutFix.isEmpty() ? "" : " " + timeoutFix), failure);
        }
        String reason = cause instanceof ConnectException ? "connection refused" : String.valueOf(cause.getMessage());
        return new ProxyError(ErrorKind.API_ERROR, 502, "Cannot reach " + upstream + " (" + reason + "). "
                + unreachableFix, failure);
    }
}
