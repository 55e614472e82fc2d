package dev.ccop.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ToolArgumentsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ToolArguments arguments = new ToolArguments();

    private ToolArguments.Outcome check(String schema, String input) throws Exception {
        return arguments.check(new Tool("T", null, MAPPER.readTree(schema)), (ObjectNode) MAPPER.readTree(input));
    }

    @Test
    void validInputPassesUntouched() throws Exception {
        assertThat(check("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}", "{\"a\":\"x\"}"))
                .isEqualTo(new ToolArguments.Outcome.Valid((ObjectNode) MAPPER.readTree("{\"a\":\"x\"}"), false));
    }

    @Test
    void objectsAndArraysSentAsJsonStringsAreParsedAndNestedSlipsMended() throws Exception {
        String schema = "{\"type\":\"object\",\"properties\":{\"todos\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
                + "\"properties\":{\"done\":{\"type\":\"boolean\"},\"title\":{\"type\":\"string\"}}}},"
                + "\"opts\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}}},\"required\":[\"todos\"]}";

        ToolArguments.Outcome outcome = check(schema,
                "{\"todos\":\"[{\\\"done\\\":\\\"false\\\",\\\"title\\\":7}]\",\"opts\":\"{\\\"n\\\":\\\"3\\\"}\"}");

        assertThat(outcome).isInstanceOfSatisfying(ToolArguments.Outcome.Valid.class, v -> {
            assertThat(v.coerced()).isTrue();
            assertThat(v.input().toString()).isEqualTo("{\"todos\":[{\"done\":false,\"title\":\"7\"}],\"opts\":{\"n\":3}}");
        });
    }

    @Test
    void whatCannotBeMendedIsInvalidWithTheValidatorsWords() throws Exception {
        ToolArguments.Outcome outcome = check("{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},"
                + "\"required\":[\"n\"]}", "{\"n\":\"many\"}");

        assertThat(outcome).isInstanceOfSatisfying(ToolArguments.Outcome.Invalid.class,
                invalid -> assertThat(invalid.problems()).contains("integer"));
    }

    @Test
    void aToolWithoutASchemaAcceptsAnything() throws Exception {
        assertThat(arguments.check(new Tool("T", null, null), (ObjectNode) MAPPER.readTree("{\"x\":1}")))
                .isInstanceOf(ToolArguments.Outcome.Valid.class);
    }
}
