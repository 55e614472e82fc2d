package dev.ccop.observe;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.Json;
import java.time.Instant;
import org.slf4j.event.KeyValuePair;

/**
 * {@code --log-format json}: one JSON object per line — {@code time}, {@code level}, {@code logger},
 * {@code message}, then the event's key-value pairs as fields of their own (a request's {@code request_id},
 * {@code front}, {@code status}, {@code model}, tokens and durations), and {@code error} with its stack.
 */
public final class JsonLogLayout extends LayoutBase<ILoggingEvent> {

    @Override
    public String doLayout(ILoggingEvent event) {
        ObjectNode line = Json.MAPPER.createObjectNode()
                .put("time", Instant.ofEpochMilli(event.getTimeStamp()).toString())
                .put("level", event.getLevel().toString().toLowerCase())
                .put("logger", shortName(event.getLoggerName()))
                .put("message", event.getFormattedMessage());
        event.getMDCPropertyMap().forEach(line::put);
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                switch (pair.value) {
                    case null -> line.putNull(pair.key);
                    case Integer i -> line.put(pair.key, i);
                    case Long l -> line.put(pair.key, l);
                    case Double d -> line.put(pair.key, d);
                    case Boolean b -> line.put(pair.key, b);
                    default -> line.put(pair.key, pair.value.toString());
                }
            }
        }
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) {
            line.put("error", ThrowableProxyUtil.asString(error));
        }
        return Json.write(line) + "\n";
    }

    private static String shortName(String logger) {
        int dot = logger.lastIndexOf('.');
        return dot < 0 ? logger : logger.substring(dot + 1);
    }
}
