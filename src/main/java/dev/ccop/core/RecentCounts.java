package dev.ccop.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Token counts of long texts seen recently. Claude Code resends its system prompt, tool definitions and the whole
 * history with every request, and tokenizing them again was 80 % of the proxy's CPU for a 90 KB request (JFR). Keys
 * are the texts themselves, so a hit is exact; the total length of the kept texts is bounded, least recently used
 * first out.
 */
final class RecentCounts {
    private final long maxChars;
    private final LinkedHashMap<String, Integer> counts = new LinkedHashMap<>(256, 0.75f, true);
    private long chars;

    RecentCounts(long maxChars) {
        this.maxChars = maxChars;
    }

    int count(String text, ToIntFunction<String> counter) {
        synchronized (this) {
            Integer known = counts.get(text);
            if (known != null) {
                return known;
            }
        }
        int count = counter.applyAsInt(text); // outside the lock: counting a long text takes milliseconds
        synchronized (this) {
            if (text.length() <= maxChars && counts.put(text, count) == null) {
                chars += text.length();
                evictBeyondLimit();
            }
        }
        return count;
    }

    synchronized int size() {
        return counts.size();
    }

    private void evictBeyondLimit() {
        var oldest = counts.entrySet().iterator();
        while (chars > maxChars && oldest.hasNext()) {
            Map.Entry<String, Integer> entry = oldest.next();
            chars -= entry.getKey().length();
            oldest.remove();
        }
    }
}
