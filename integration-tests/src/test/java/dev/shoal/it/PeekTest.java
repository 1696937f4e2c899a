package dev.shoal.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.it.NativeClient.Response;
import dev.shoal.storage.testing.AwsFixture;
import org.junit.jupiter.api.Test;

import static dev.shoal.it.Checks.expectStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /v1/queues/{queue}/messages}: looking at the log without leasing, over real HTTP. */
@EndToEnd
class PeekTest {

    @Test
    void peekShowsMessagesWithAttributesAndLeavesThemToBeReceived(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            NativeClient c = shoal.client();
            expectStatus(201, c.put("/v1/queues/peeked", ""));
            expectStatus(200, c.post("/v1/queues/peeked/messages", """
                    {"messages": [{"body": "first", "attributes": {"color": {"type": "String", "value": "blue"}}},
                                  {"body": "second"}, {"body": "third"}]}"""));

            Response page = c.get("/v1/queues/peeked/messages?max=2");
            expectStatus(200, page);
            JsonNode p = page.json();
            assertEquals(0, p.path("startOffset").asLong());
            assertEquals(3, p.path("endOffset").asLong());
            assertEquals(2, p.path("nextOffset").asLong());
            assertEquals(2, p.path("messages").size());
            JsonNode first = p.path("messages").get(0);
            assertEquals("0-0", first.path("id").asText());
            assertEquals("first", first.path("body").asText());
            assertEquals("blue", first.path("attributes").path("color").path("value").asText());
            assertTrue(first.hasNonNull("sentAt"));
            assertTrue(first.path("receipt").isMissingNode(), "a peek is no delivery: no receipt");

            JsonNode rest = c.get("/v1/queues/peeked/messages?partition=0&offset=2&max=10").json();
            assertEquals("third", rest.path("messages").get(0).path("body").asText());
            assertEquals(3, rest.path("nextOffset").asLong());

            assertEquals(3, c.get("/v1/queues/peeked").json().path("stats").path("visible").asLong(), "nothing was leased");
            Response received = c.post("/v1/queues/peeked/receive", "{\"maxMessages\": 10}");
            assertEquals(3, received.json().path("messages").size());
            assertEquals(1, received.json().path("messages").get(0).path("receiveCount").asInt(), "peeking did not count as a receive");
        }
    }

    @Test
    void peekRefusesAPartitionTheQueueDoesNotHaveAndUnknownParameters(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            NativeClient c = shoal.client();
            expectStatus(201, c.put("/v1/queues/narrow", "{\"partitions\": 2}"));
            Response wrong = c.get("/v1/queues/narrow/messages?partition=2");
            expectStatus(400, wrong);
            assertEquals("partition", wrong.json().path("field").asText());
            assertTrue(wrong.json().path("message").asText().contains("between 0 and 1"), wrong.text());
            Response typo = c.get("/v1/queues/narrow/messages?offest=3");
            expectStatus(400, typo);
            assertTrue(typo.json().path("message").asText().contains("allowed: max, offset, partition"), typo.text());
            expectStatus(400, c.get("/v1/queues/narrow/messages?max=1000"));
            expectStatus(400, c.get("/v1/queues/narrow/messages?offset=-1"));
            expectStatus(404, c.get("/v1/queues/missing/messages"));
            assertEquals(0, c.get("/v1/queues/narrow/messages?partition=1").json().path("messages").size());
        }
    }
}
