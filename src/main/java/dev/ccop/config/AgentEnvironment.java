package dev.ccop.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment the claude CLI runs with under the claude-agent backend: only what a program needs to run (the
 * path, home, user, locale, time zone, temporary directory, network proxy and CA settings, Claude Code's config
 * directory), plus the variables the operator names with {@code --agent-env}. Nothing else of the proxy's own
 * environment reaches a process that a prompt steers: not {@code --api-key}, not the provider's key, and not
 * {@code ANTHROPIC_API_KEY} unless named.
 */
final class AgentEnvironment {
    private static final List<String> BASIC = List.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE",
            "TZ", "TMPDIR", "TERM", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
            "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR", "CLAUDE_CONFIG_DIR");
    private static final List<String> BASIC_PREFIXES = List.of("LC_", "XDG_");

    private AgentEnvironment() {}

    static Map<String, String> of(Map<String, String> proxyEnvironment, List<String> named) {
        Map<String, String> passed = new TreeMap<>();
        proxyEnvironment.forEach((name, value) -> {
            if (BASIC.contains(name) || named.contains(name)
                    || BASIC_PREFIXES.stream().anyMatch(name::startsWith)) {
                passed.put(name, value);
            }
        });
        return passed;
    }
}
