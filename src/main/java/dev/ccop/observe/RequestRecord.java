package dev.ccop.observe;

/**
 * What the request log says about one request's answer, filled in as the answer goes. The server opens a record on
 * the request's thread before the handler runs; the answer's watcher finds it there and keeps it for the answer's
 * life (its last events may arrive on another thread).
 */
public final class RequestRecord {
    private static final ThreadLocal<RequestRecord> CURRENT = new ThreadLocal<>();

    private final long started = System.nanoTime();
    private String requestedModel;
    private String upstreamModel;
    private String sessionId;
    private int inputTokens = -1;
    private int outputTokens = -1;
    private int cachedTokens;
    private long firstTokenNanos = -1;
    private String errorType;

    /** Opens a record for the request on this thread. */
    public static RequestRecord open() {
        RequestRecord record = new RequestRecord();
        CURRENT.set(record);
        return record;
    }

    /** The record of the request on this thread; null outside a request. */
    static RequestRecord current() {
        return CURRENT.get();
    }

    public static void close() {
        CURRENT.remove();
    }

    synchronized void answer(String requested, String upstream, String session) {
        requestedModel = requested;
        upstreamModel = upstream;
        sessionId = session;
    }

    synchronized void firstToken(long nanosSinceAnswerStart) {
        firstTokenNanos = nanosSinceAnswerStart;
    }

    synchronized void usage(int input, int output, int cached) {
        inputTokens = input;
        outputTokens = output;
        cachedTokens = cached;
    }

    synchronized void failed(String type) {
        errorType = type;
    }

    /** The fields for the log line, with {@code status} and {@code front}; answer fields only when there was one. */
    public synchronized void describe(FieldSink sink) {
        sink.put("duration_ms", Math.round((System.nanoTime() - started) / 1e4) / 100.0);
        if (requestedModel == null) {
            return;
        }
        sink.put("model", requestedModel);
        sink.put("upstream_model", upstreamModel);
        if (sessionId != null) {
            sink.put("session_id", sessionId);
        }
        if (inputTokens >= 0) {
            sink.put("input_tokens", inputTokens);
            sink.put("output_tokens", outputTokens);
            if (cachedTokens > 0) {
                sink.put("cached_tokens", cachedTokens);
            }
        }
        if (firstTokenNanos >= 0) {
            sink.put("ttft_ms", Math.round(firstTokenNanos / 1e4) / 100.0);
        }
        if (errorType != null) {
            sink.put("error_type", errorType);
        }
    }

    /** Where {@link #describe} puts its fields: a log event's key-value pairs. */
    public interface FieldSink {
        void put(String key, Object value);
    }
}
