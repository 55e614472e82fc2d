package dev.ccop.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Client model names to backend model names. Exact entries win over pattern entries ({@code *} matches any run of
 * characters); patterns are tried in the order they were given.
 */
public final class ModelMap {
    private final Map<String, String> exact = new LinkedHashMap<>();
    private final List<PatternEntry> patterns = new ArrayList<>();

    private record PatternEntry(String glob, Pattern regex, String target) {}

    public static ModelMap of(Map<String, String> entries) {
        ModelMap map = new ModelMap();
        entries.forEach(map::put);
        return map;
    }

    public static ModelMap empty() {
        return new ModelMap();
    }

    private void put(String from, String to) {
        if (from.contains("*")) {
            patterns.add(new PatternEntry(from, globToRegex(from), to));
        } else {
            exact.put(from, to);
        }
    }

    public Optional<String> lookup(String model) {
        String hit = exact.get(model);
        if (hit != null) {
            return Optional.of(hit);
        }
        return patterns.stream().filter(p -> p.regex.matcher(model).matches()).map(PatternEntry::target).findFirst();
    }

    public boolean isEmpty() {
        return exact.isEmpty() && patterns.isEmpty();
    }

    /** Every entry as given, exact ones first; for listing and diagnostics. */
    public Map<String, String> entries() {
        Map<String, String> all = new LinkedHashMap<>(exact);
        patterns.forEach(p -> all.put(p.glob, p.target));
        return all;
    }

    static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
    }
}
