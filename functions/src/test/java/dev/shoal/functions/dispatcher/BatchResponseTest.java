package dev.shoal.functions.dispatcher;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchResponseTest {

    private static final Set<String> BATCH = Set.of("0-1", "0-2", "3-9");

    @Test
    void listedIdsAreTheFailures() {
        BatchResponse r = parse("{\"batchItemFailures\":[{\"itemIdentifier\":\"0-2\"},{\"itemIdentifier\":\"3-9\"}]}");
        assertFalse(r.isMalformed());
        assertEquals(Set.of("0-2", "3-9"), r.failed());
    }

    @Test
    void anEmptyNullOrFailureFreeAnswerMeansEverythingSucceeded() {
        for (String body : new String[]{"", "  ", "null", "{}", "{\"batchItemFailures\":[]}", "{\"batchItemFailures\":null}",
                "{\"other\":1}"}) {
            BatchResponse r = parse(body);
            assertFalse(r.isMalformed(), body);
            assertEquals(Set.of(), r.failed(), body);
        }
    }

    @Test
    void anAnswerThatCannotBeTrustedFailsTheWholeBatch() {
        for (String body : new String[]{"OK", "[1,2]", "\"done\"", "{\"batchItemFailures\":{}}",
                "{\"batchItemFailures\":[{}]}", "{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}",
                "{\"batchItemFailures\":[{\"itemIdentifier\":\"7-7\"}]}", "{\"batchItemFailures\":[{\"itemIdentifier\":2}]}"}) {
            assertTrue(parse(body).isMalformed(), body);
        }
    }

    private static BatchResponse parse(String body) {
        return BatchResponse.parse(body.getBytes(StandardCharsets.UTF_8), BATCH);
    }
}
