package dev.shoal.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.it.NativeClient.Response;
import dev.shoal.storage.testing.AwsFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.shoal.it.Checks.bodies;
import static dev.shoal.it.Checks.expectStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

/** Every route of the native API, over real HTTP, against the real engine. */
@EndToEnd
class NativeApiTest {

    @Test
    void healthAnswersOk(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            Response r = shoal.client().get("/health");
            expectStatus(200, r);
            assertEquals("ok", r.json().path("status").asText());
        }
    }

    @Test
    void theBatchWindowIsSetReadBackAndRangeChecked(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            NativeClient c = shoal.client();
            expectStatus(201, c.put("/v1/queues/windowed", "{\"batchWindow\": \"50ms\"}"));
            assertEquals("50ms", c.get("/v1/queues/windowed").json().path("settings").path("batchWindow").asText());
            expectStatus(201, c.put("/v1/queues/defaulted", "{}"));
            assertEquals("100ms", c.get("/v1/queues/defaulted").json().path("settings").path("batchWindow").asText());
            Response bad = c.put("/v1/queues/too-long", "{\"batchWindow\": \"2s\"}");
            expectStatus(400, bad);
            assertEquals("batchWindow", bad.json().path("field").asText());
            assertTrue(bad.json().path("message").asText().contains("between 0s and 1s"), bad.json().toString());
        }
    }

    @Test
    void theMessagesThatCloseTheBatchWindowAreSetReadBackAndRangeChecked(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            NativeClient c = shoal.client();
            expectStatus(201, c.put("/v1/queues/big-flushes", "{\"batchWindowMessages\": 500}"));
            assertEquals(500, c.get("/v1/queues/big-flushes").json().path("settings").path("batchWindowMessages").asInt());
            expectStatus(201, c.put("/v1/queues/defaulted", "{}"));
            assertEquals(10, c.get("/v1/queues/defaulted").json().path("settings").path("batchWindowMessages").asInt());
            Response bad = c.put("/v1/queues/none", "{\"batchWindowMessages\": 0}");
            expectStatus(400, bad);
            assertEquals("batchWindowMessages", bad.json().path("field").asText());
            assertTrue(bad.json().path("message").asText().contains("between 1 and 10000"), bad.json().toString());
        }
    }

    @Test
    void conditionalPutsCreateOnlyOrUpdateOnly(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            NativeClient c = shoal.client();
            expectStatus(404, c.put("/v1/queues/cond", "{}", "If-Match", "*"));
            expectStatus(404, c.get("/v1/queues/cond"));
            expectStatus(201, c.put("/v1/queues/cond", "{\"partitions\": 2}", "If-None-Match", "*"));
            expectStatus(200, c.put("/v1/queues/cond", "{\"partitions\": 2}", "If-None-Match", "*"));
            Response conflict = c.put("/v1/queues/cond", "{\"partitions\": 3}", "If-None-Match", "*");
            expectStatus(409, conflict);
            assertEquals("QueueAlreadyExists", conflict.json().path("code").asText());
            assertEquals(2, c.get("/v1/queues/cond").json().path("settings").path("partitions").asInt(), "the conflict changed nothing");
            expectStatus(200, c.put("/v1/queues/cond", "{\"partitions\": 3}", "If-Match", "*"));

            expectStatus(404, c.put("/v1/queues/cond/subscriptions/audit", "{}", "If-Match", "*"));
            expectStatus(201, c.put("/v1/queues/cond/subscriptions/audit", "{}", "If-None-Match", "*"));
            expectStatus(409, c.put("/v1/queues/cond/subscriptions/audit", "{\"visibilityTimeout\": \"5m\"}", "If-None-Match", "*"));
        }
    }

    @Test
    void queueIsCreatedDescribedListedUpdatedAndDeleted(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            NativeClient c = shoal.client();
            Response created = c.put("/v1/queues/orders", """
                    {"partitions": 2, "retention": "7d", "visibilityTimeout": "45s", "deliveryDelay": "0s",
                     "retryPolicy": {"initialDelay": "1s", "multiplier": 3, "maxDelay": "1m"}}""");
            expectStatus(201, created);
            assertEquals("orders", created.json().path("name").asText());
            JsonNode settings = created.json().path("settings");
            assertEquals(2, settings.path("partitions").asInt());
            assertEquals("7d", settings.path("retention").asText());
            assertEquals("45s", settings.path("visibilityTimeout").asText());
            assertEquals("1m", settings.path("retryPolicy").path("maxDelay").asText());
            assertFalse(settings.path("fifo").asBoolean());

            Response described = c.get("/v1/queues/orders");
            assertEquals(200, described.status());
            assertEquals(0, described.json().path("stats").path("visible").asLong());
            assertFalse(described.json().path("createdAt").asText().isEmpty());

            assertEquals(201, c.put("/v1/queues/other", "").status());
            Response listed = c.get("/v1/queues");
            assertEquals(List.of("orders", "other"), Checks.texts(listed.json().path("queues")));
            assertEquals(List.of("other"), Checks.texts(c.get("/v1/queues?prefix=ot").json().path("queues")));

            // GET's settings are PUT's body: edit one field and send it back
            String edited = settings.toString().replace("\"45s\"", "\"2m\"");
            Response updated = c.put("/v1/queues/orders", edited);
            expectStatus(200, updated);
            assertEquals("2m", c.get("/v1/queues/orders").json().path("settings").path("visibilityTimeout").asText());

            assertEquals(204, c.delete("/v1/queues/orders").status());
            Response gone = c.get("/v1/queues/orders");
            assertEquals(404, gone.status());
            assertEquals("QueueNotFound", gone.code());
        }
    }

    @Test
    void producedTextBinaryAndAttributesComeBackAsSent(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            NativeClient c = shoal.client();
            c.put("/v1/queues/q", "");
            byte[] binary = {0, (byte) 0xff, 1, (byte) 0xfe};
            Response produced = c.post("/v1/queues/q/messages", """
                    {"messages": [
                      {"body": "hello", "attributes": {"color": {"type": "String", "value": "blue"},
                                                       "size": {"type": "Number.int", "value": "42"},
                                                       "blob": {"type": "Binary", "valueBase64": "AQID"}}},
                      {"bodyBase64": "%s"}
                    ]}""".formatted(Base64.getEncoder().encodeToString(binary)));
            expectStatus(200, produced);
            assertEquals(2, produced.json().path("results").size());
            assertTrue(produced.json().path("results").get(0).path("id").asText().matches("\\d+-\\d+"));
            assertFalse(produced.json().path("results").get(0).path("duplicate").asBoolean());

            List<JsonNode> messages = receiveAll(c, "/v1/queues/q", 2);
            JsonNode text = messages.stream().filter(m -> m.has("body")).findFirst().orElseThrow();
            assertEquals("hello", text.path("body").asText());
            assertEquals("blue", text.path("attributes").path("color").path("value").asText());
            assertEquals("Number.int", text.path("attributes").path("size").path("type").asText());
            assertEquals("AQID", text.path("attributes").path("blob").path("valueBase64").asText());
            assertEquals(1, text.path("receiveCount").asInt());
            assertFalse(text.path("receipt").asText().isEmpty());
            JsonNode bytes = messages.stream().filter(m -> m.has("bodyBase64")).findFirst().orElseThrow();
            assertArrayEquals(binary, Base64.getDecoder().decode(bytes.path("bodyBase64").asText()));
        }
    }

    @Test
    void ackedMessagesAreNotDeliveredAgain(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            NativeClient c = shoal.client();
            c.put("/v1/queues/q", "{\"visibilityTimeout\": \"0s\"}");
            produce(c, "q", "a", "b");
            List<JsonNode> got = receiveAll(c, "/v1/queues/q", 2);
            Response acked = c.post("/v1/queues/q/ack", "{\"receipts\": " + receipts(got) + "}");
            expectStatus(200, acked);
            acked.json().path("results").forEach(r -> assertTrue(r.path("ok").asBoolean(), r.toString()));
            // visibility 0: anything unacked would be visible again at once
            assertTrue(c.post("/v1/queues/q/receive", "{\"maxMessages\": 10}").json().path("messages").isEmpty(), "expected no messages");
        }
    }

    @Test
    void nackedMessageIsDeliveredAgainWithAHigherReceiveCount(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            NativeClient c = shoal.client();
            c.put("/v1/queues/q", "{\"visibilityTimeout\": \"5m\"}");
            produce(c, "q", "retry me");
            JsonNode first = receiveAll(c, "/v1/queues/q", 1).getFirst();
            Response nacked = c.post("/v1/queues/q/nack",
                    "{\"entries\": [{\"receipt\": \"" + first.path("receipt").asText() + "\", \"delay\": \"0s\"}]}");
            expectStatus(200, nacked);
            JsonNode again = receiveAll(c, "/v1/queues/q", 1).getFirst();
            assertEquals("retry me", again.path("body").asText());
            assertEquals(2, again.path("receiveCount").asInt());
        }
    }

    @Test
    void visibilityChangeToZeroMakesAMessageVisibleAtOnce(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            NativeClient c = shoal.client();
            c.put("/v1/queues/q", "");
            produce(c, "q", "m");
            JsonNode m = receiveAll(c, "/v1/queues/q", 1).getFirst();
            assertTrue(c.post("/v1/queues/q/receive", "{}").json().path("messages").isEmpty(), "expected no messages");
            Response changed = c.post("/v1/queues/q/visibility",
                    "{\"entries\": [{\"receipt\": \"" + m.path("receipt").asText() + "\", \"visibilityTimeout\": \"0s\"}]}");
            expectStatus(200, changed);
            assertEquals("m", receiveAll(c, "/v1/queues/q", 1).getFirst().path("body").asText());
        }
    }

    @Test
    void longPollReturnsAMessageProducedWhileWaiting(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            NativeClient c = shoal.client();
            c.put("/v1/queues/q", "");
            CompletableFuture<Response> poll = CompletableFuture.supplyAsync(
                    () -> c.post("/v1/queues/q/receive", "{\"maxMessages\": 1, \"waitTime\": \"10s\"}"));
            await().pollDelay(Duration.ofMillis(300)).until(() -> true);
            produce(c, "q", "late");
            Response r = poll.join();
            expectStatus(200, r);
            assertEquals("late", r.json().path("messages").get(0).path("body").asText());
        }
    }

    @Test
    void subscriptionsEachSeeEveryMessageAndKeepTheirOwnState(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            NativeClient c = shoal.client();
            c.put("/v1/queues/q", "");
            Response created = c.put("/v1/queues/q/subscriptions/audit", "{\"visibilityTimeout\": \"1m\"}");
            expectStatus(201, created);
            assertEquals("1m", created.json().path("settings").path("visibilityTimeout").asText());
            assertEquals(200, c.put("/v1/queues/q/subscriptions/audit", "{\"visibilityTimeout\": \"2m\"}").status());
            assertEquals("2m", c.get("/v1/queues/q/subscriptions/audit").json().path("settings").path("visibilityTimeout").asText());
            assertTrue(Checks.texts(c.get("/v1/queues/q/subscriptions").json().path("subscriptions"), "name")
                    .containsAll(List.of("default", "audit")));

            produce(c, "q", "both see me");
            List<JsonNode> audit = receiveAll(c, "/v1/queues/q/subscriptions/audit", 1);
            List<JsonNode> main = receiveAll(c, "/v1/queues/q", 1);
            assertEquals("both see me", audit.getFirst().path("body").asText());
            assertEquals("both see me", main.getFirst().path("body").asText());
            Response acked = c.post("/v1/queues/q/subscriptions/audit/ack", "{\"receipts\": " + receipts(audit) + "}");
            expectStatus(200, acked);
            // a receipt of one subscription is not a receipt of another
            Response crossed = c.post("/v1/queues/q/ack", "{\"receipts\": " + receipts(audit) + "}");
            assertEquals(4, crossed.status() / 100);

            assertEquals(204, c.delete("/v1/queues/q/subscriptions/audit").status());
            assertEquals(404, c.get("/v1/queues/q/subscriptions/audit").status());
        }
    }

    @Test
    void seekToEarliestDeliversAckedMessagesAgain(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            NativeClient c = shoal.client();
            c.put("/v1/queues/q", "");
            c.put("/v1/queues/q/subscriptions/replay", "");
            produce(c, "q", "one", "two");
            List<JsonNode> got = receiveAll(c, "/v1/queues/q/subscriptions/replay", 2);
            c.post("/v1/queues/q/subscriptions/replay/ack", "{\"receipts\": " + receipts(got) + "}");
            Response seek = c.post("/v1/queues/q/subscriptions/replay/seek", "{\"to\": \"earliest\"}");
            expectStatus(204, seek);
            assertEquals(java.util.Set.of("one", "two"), java.util.Set.copyOf(bodies(receiveAll(c, "/v1/queues/q/subscriptions/replay", 2))));
            assertEquals(204, c.post("/v1/queues/q/seek", "{\"to\": \"latest\"}").status());
            assertTrue(c.post("/v1/queues/q/receive", "{\"maxMessages\": 10}").json().path("messages").isEmpty(), "expected no messages");
        }
    }

    @Test
    void purgeDropsEveryMessage(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            NativeClient c = shoal.client();
            c.put("/v1/queues/q", "");
            produce(c, "q", "a", "b", "c");
            assertEquals(204, c.post("/v1/queues/q/purge", null).status());
            assertTrue(c.post("/v1/queues/q/receive", "{\"maxMessages\": 10}").json().path("messages").isEmpty(), "expected no messages");
        }
    }

    @Test
    void deadLettersMoveToTheDeadLetterQueueAndRedriveBringsThemBack(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            NativeClient c = shoal.client();
            assertEquals(201, c.put("/v1/queues/dlq", "").status());
            Response q = c.put("/v1/queues/work", "{\"visibilityTimeout\": \"5m\", \"deadLetter\": {\"queue\": \"dlq\", \"maxReceiveCount\": 1}}");
            expectStatus(201, q);
            produce(c, "work", "poison");
            JsonNode first = receiveAll(c, "/v1/queues/work", 1).getFirst();
            c.post("/v1/queues/work/nack", "{\"entries\": [{\"receipt\": \"" + first.path("receipt").asText() + "\", \"delay\": \"0s\"}]}");
            // the second delivery would exceed maxReceiveCount: the message moves instead
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                c.post("/v1/queues/work/receive", "{\"maxMessages\": 10}");
                return c.get("/v1/queues/dlq").json().path("stats").path("visible").asLong() == 1;
            });
            Response redriven = c.post("/v1/queues/dlq/redrive", "{\"maxMessages\": 10, \"maxPerSecond\": 100}");
            expectStatus(200, redriven);
            assertEquals(1, redriven.json().path("moved").asLong());
            assertFalse(redriven.json().path("remaining").asBoolean());
            assertEquals("poison", receiveAll(c, "/v1/queues/work", 1).getFirst().path("body").asText());
        }
    }

    @Test
    void fifoQueueDeliversAGroupInOrder(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            NativeClient c = shoal.client();
            Response q = c.put("/v1/queues/jobs.fifo", "");
            expectStatus(201, q);
            assertTrue(q.json().path("settings").path("fifo").asBoolean());
            Response p = c.post("/v1/queues/jobs.fifo/messages", """
                    {"messages": [{"body": "1", "groupId": "g", "dedupId": "d1"},
                                  {"body": "2", "groupId": "g", "dedupId": "d2"}]}""");
            expectStatus(200, p);
            Response dup = c.post("/v1/queues/jobs.fifo/messages", "{\"messages\": [{\"body\": \"1\", \"groupId\": \"g\", \"dedupId\": \"d1\"}]}");
            assertTrue(dup.json().path("results").get(0).path("duplicate").asBoolean());
            assertEquals(p.json().path("results").get(0).path("id").asText(), dup.json().path("results").get(0).path("id").asText());
            // one at a time: a receive may return several messages of a group, in order
            JsonNode first = c.post("/v1/queues/jobs.fifo/receive", "{\"maxMessages\": 1}").json().path("messages").get(0);
            assertEquals("1", first.path("body").asText());
            assertEquals("g", first.path("groupId").asText());
            // the group is blocked while "1" is in flight
            assertTrue(c.post("/v1/queues/jobs.fifo/receive", "{\"maxMessages\": 10}").json().path("messages").isEmpty(), "expected no messages");
            expectStatus(200, c.post("/v1/queues/jobs.fifo/ack", "{\"receipts\": " + receipts(List.of(first)) + "}"));
            assertEquals("2", receiveAll(c, "/v1/queues/jobs.fifo", 1).getFirst().path("body").asText());
        }
    }

    static void produce(NativeClient c, String queue, String... bodies) {
        StringBuilder b = new StringBuilder("{\"messages\": [");
        for (int i = 0; i < bodies.length; i++) {
            if (i > 0) b.append(',');
            b.append("{\"body\": ").append(NativeClient.JSON.valueToTree(bodies[i]).toString()).append('}');
        }
        Response r = c.post("/v1/queues/" + queue + "/messages", b.append("]}").toString());
        expectStatus(200, r);
    }

    /** Receives until {@code n} messages arrived (a receive may return fewer than are there). */
    static List<JsonNode> receiveAll(NativeClient c, String base, int n) {
        List<JsonNode> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Response r = c.post(base + "/receive", "{\"maxMessages\": 10, \"waitTime\": \"1s\"}");
            expectStatus(200, r);
            r.json().path("messages").forEach(got::add);
            return got.size() >= n;
        });
        return got;
    }

    static String receipts(List<JsonNode> messages) {
        return NativeClient.JSON.valueToTree(messages.stream().map(m -> m.path("receipt").asText()).toList()).toString();
    }
}
