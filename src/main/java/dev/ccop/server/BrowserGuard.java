package dev.ccop.server;

import dev.ccop.core.ErrorKind;
import dev.ccop.core.ModelMap;
import dev.ccop.core.ProxyError;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keeps web pages out. The default set-up has no key and listens on loopback, so any page the user opens could post
 * to it; browsers mark such requests with {@code Origin}, and a DNS-rebinding page also arrives with a {@code Host}
 * that is not ours. So: a request whose {@code Origin} is neither loopback nor allowed is refused; while listening on
 * loopback, so is one whose {@code Host} is not a loopback name or allowed; and a POST must say it carries JSON (the
 * content types a page may send without asking first — form, multipart, text/plain, none — never pass). CORS
 * preflights are answered for allowed origins only. API clients (Claude Code, the SDKs, curl) send no {@code Origin}.
 */
final class BrowserGuard {
    private static final String ALLOWED_METHODS = "GET, POST, HEAD, OPTIONS";

    private final ModelMap allowedOrigins;
    private final ModelMap allowedHosts;
    private final String listenHost;
    private final boolean loopbackOnly;

    /** Patterns as in {@code --allowed-origins} / {@code --allowed-hosts}: exact values, {@code *} wildcards. */
    BrowserGuard(String listenHost, List<String> allowedOrigins, List<String> allowedHosts) {
        this.listenHost = listenHost.toLowerCase(Locale.ROOT);
        this.loopbackOnly = isLoopback(listenHost);
        this.allowedOrigins = patterns(allowedOrigins);
        this.allowedHosts = patterns(allowedHosts);
    }

    /** The same {@code *} patterns as {@code --model-map} keys, matched case-insensitively. */
    private static ModelMap patterns(List<String> values) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        values.forEach(v -> map.put(v.toLowerCase(Locale.ROOT), v));
        return ModelMap.of(map);
    }

    /**
     * Checks where a request comes from; throws a 403 {@link ProxyError} (rendered in the front's dialect) when it
     * must be refused. Returns true when the request was a preflight that has been answered.
     */
    boolean checkSource(Context ctx) {
        checkHost(ctx.header("Host"));
        String origin = ctx.header("Origin");
        if (origin != null) {
            if (!originAllowed(origin)) {
                throw new ProxyError(ErrorKind.PERMISSION, 403, "Requests from web pages are refused (Origin: "
                        + origin + "). To let a page at that origin use this proxy, start it with --allowed-origins "
                        + origin + ".");
            }
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Vary", "Origin");
            if (ctx.method().name().equals("OPTIONS") && ctx.header("Access-Control-Request-Method") != null) {
                answerPreflight(ctx);
                return true;
            }
        }
        return false;
    }

    /** A POST must say it carries JSON: a 415 that names what it said otherwise. */
    void checkBody(Context ctx) {
        if (ctx.method().name().equals("POST")) {
            checkJson(ctx.header("Content-Type"));
        }
    }

    private void checkHost(String host) {
        if (!loopbackOnly || host == null) {
            return; // HTTP/1.0 requests may have no Host; without one a rebinding page cannot be told apart anyway
        }
        String name = hostName(host);
        if (isLoopbackName(name) || name.equals(listenHost) || allowedHosts.lookup(name).isPresent()) {
            return;
        }
        throw new ProxyError(ErrorKind.PERMISSION, 403, "Host '" + host + "' is not this proxy's address (it listens"
                + " on loopback; a page that rebinds a DNS name to 127.0.0.1 arrives like this). To reach it under that"
                + " name, start it with --allowed-hosts " + name + ".");
    }

    private static void checkJson(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (type.equals("application/json") || type.endsWith("+json")) {
            return;
        }
        throw new ProxyError(ErrorKind.INVALID_REQUEST, 415, "Request bodies must be JSON with Content-Type:"
                + " application/json; this request said " + (contentType == null ? "nothing" : "'" + contentType + "'")
                + ". (With curl: -H 'Content-Type: application/json'.)");
    }

    private void answerPreflight(Context ctx) {
        String headers = ctx.header("Access-Control-Request-Headers");
        ctx.header("Access-Control-Allow-Methods", ALLOWED_METHODS);
        if (headers != null) {
            ctx.header("Access-Control-Allow-Headers", headers);
        }
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
    }

    boolean originAllowed(String origin) {
        String lower = origin.toLowerCase(Locale.ROOT);
        if (allowedOrigins.lookup(lower).isPresent()) {
            return true;
        }
        try {
            URI uri = URI.create(lower);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && isLoopbackName(uri.getHost().replaceAll("^\\[|]$", ""));
        } catch (IllegalArgumentException e) {
            return false; // "null" (a file or sandboxed page) and anything unparseable
        }
    }

    /** {@code name:port}, {@code [v6]:port} or a bare name, lower-cased, without the port and brackets. */
    static String hostName(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        return colon >= 0 && h.indexOf(':', colon + 1) < 0 ? h.substring(0, colon) : h;
    }

    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");

    private static boolean isLoopbackName(String name) {
        return name.equals("localhost") || name.endsWith(".localhost") || name.equals("::1")
                || IPV4_LOOPBACK.matcher(name).matches();
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
