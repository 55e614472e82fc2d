package dev.ccop.upstream;

import dev.ccop.core.ProxyError;

/** How one upstream's failures read: an error status with its body, or a transport failure. */
public interface UpstreamErrors {

    ProxyError status(int status, String body);

    ProxyError transport(Throwable cause);
}
