package dev.shoal.it.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.it.dispatch.TargetServer.Reply;
import dev.shoal.storage.api.DeadLetterPolicy;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.PushTarget.EventFormat;
import dev.shoal.storage.api.PushTarget;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.RetryPolicy;
import dev.shoal.storage.api.SubscriptionSettings;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatcher against the real engine on the embedded stack, pushing to real HTTP targets
 * on loopback: what reaches the target, what is acked, retried and dead-lettered. The targets
 * read Shoal's event format; {@link SqsTriggerTest} covers SQS's.
 */
@ExtendWith(EmbeddedAwsExtension.class)
class PushDeliveryTest {

    /** Redeliver failed messages at once, so retries take no test time. */
    private static final RetryPolicy IMMEDIATE = new RetryPolicy(Duration.ZERO, 1.0, Duration.ZERO);

    @Test
    void partialFailuresAreRetriedThenDeadLetteredWhileTheRestIsAckedOnce(AwsFixture aws) {
        try (DispatchStack shoal = new DispatchStack(aws);
             TargetServer target = TargetServer.start((n, event) -> Reply.ok(TargetServer.failures(
                     ids(event, m -> m.path("body").asText().startsWith("bad")))))) {
            shoal.engine.createQueue("orders-dlq", QueueSettings.builder().build());
            shoal.engine.createQueue("orders", QueueSettings.builder().build());
            shoal.engine.createSubscription("orders", "push", SubscriptionSettings.builder().retryPolicy(IMMEDIATE)
                    .deadLetter(new DeadLetterPolicy("orders-dlq", 2))
                    .push(new PushTarget(target.url(), 10, Duration.ZERO, 2, Duration.ofSeconds(5)).withEventFormat(EventFormat.SHOAL)).build());
            List<String> bodies = IntStream.range(0, 10).mapToObj(i -> (i % 4 == 3 ? "bad-" : "ok-") + i).toList();
            shoal.produce("orders", bodies.stream().map(NewMessage::of).toList());

            shoal.dispatchUntil(Duration.ofSeconds(20), () -> shoal.settled("orders", "push")
                    && deliveries(target, "bad-3") == 2 && deliveries(target, "bad-7") == 2);

            for (String body : bodies) {
                assertEquals(body.startsWith("bad") ? 2 : 1, deliveries(target, body), body + " deliveries");
            }
            List<ReceivedMessage> dead = shoal.drain("orders-dlq");
            assertEquals(Set.of("bad-3", "bad-7"), Set.copyOf(dead.stream().map(ReceivedMessage::bodyAsString).toList()));
            dead.forEach(m -> assertEquals("2", m.attributes().get("shoal.receiveCount").stringValue()));
        }
    }

    @Test
    void fifoGroupsAreDeliveredInOrderAndAFailedMessagesLaterGroupMatesComeAgainAfterIt(AwsFixture aws) {
        Set<String> failedOnce = new HashSet<>();
        // a naive target: fails a-2 the first time and reports everything else as handled, a-3 included
        try (DispatchStack shoal = new DispatchStack(aws);
             TargetServer target = TargetServer.start((n, event) -> Reply.ok(TargetServer.failures(
                     ids(event, m -> m.path("body").asText().equals("a-2") && failedOnce.add("a-2")))))) {
            shoal.engine.createQueue("jobs.fifo", QueueSettings.builder().fifo(true).contentBasedDeduplication(true).build());
            shoal.engine.createSubscription("jobs.fifo", "push", SubscriptionSettings.builder().retryPolicy(IMMEDIATE)
                    .push(new PushTarget(target.url(), 10, Duration.ZERO, 3, Duration.ofSeconds(5)).withEventFormat(EventFormat.SHOAL)).build());
            List<NewMessage> messages = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                for (String group : List.of("a", "b", "c")) {
                    messages.add(NewMessage.builder().body(group + "-" + i).groupId(group).build());
                }
            }
            shoal.produce("jobs.fifo", messages);

            shoal.dispatchUntil(Duration.ofSeconds(20), () -> shoal.settled("jobs.fifo", "push")
                    && target.messagesOfAnsweredRequests().size() >= 15);

            for (TargetServer.Request r : target.requests()) {
                Map<String, Integer> last = new HashMap<>();
                for (JsonNode m : r.messages()) {
                    int seq = sequence(m);
                    assertTrue(seq > last.getOrDefault(m.path("groupId").asText(), 0), "in-batch order of " + r.event());
                    last.put(m.path("groupId").asText(), seq);
                }
            }
            List<String> log = target.messagesOfAnsweredRequests().stream().map(m -> m.path("body").asText()).toList();
            for (String group : List.of("a", "b", "c")) {
                List<String> deliveries = log.stream().filter(b -> b.startsWith(group + "-")).toList();
                // the last delivery of each message is the one that counted: those must be in order
                List<Integer> lastIndex = IntStream.rangeClosed(1, 5).mapToObj(i -> deliveries.lastIndexOf(group + "-" + i)).toList();
                assertTrue(lastIndex.stream().allMatch(i -> i >= 0), group + " fully delivered: " + deliveries);
                assertEquals(lastIndex.stream().sorted().toList(), lastIndex, group + " final deliveries out of order: " + deliveries);
                if (!group.equals("a")) {
                    assertEquals(List.of(group + "-1", group + "-2", group + "-3", group + "-4", group + "-5"), deliveries);
                }
            }
            List<String> a = log.stream().filter(b -> b.startsWith("a-")).toList();
            int failure = a.indexOf("a-2");
            assertEquals("a-2", a.get(a.lastIndexOf("a-1") + 1), "a-2 first");
            assertTrue(a.lastIndexOf("a-2") > failure, "a-2 delivered again: " + a);
            if (a.indexOf("a-3") > failure && a.indexOf("a-3") < a.lastIndexOf("a-2")) {
                // a-3 rode in the failing batch and was reported handled: it still had to come again
                assertTrue(a.lastIndexOf("a-3") > a.lastIndexOf("a-2"), "a-3 redelivered after a-2: " + a);
            }
        }
    }

    @Test
    void noMoreThanMaxConcurrencyInvocationsAreInFlightAtOnce(AwsFixture aws) {
        // the first three invocations wait for one another (up to 5 s), so the limit is reached however
        // slow the machine; every later one works a little, giving the dispatcher every chance to exceed it
        CountDownLatch firstThree = new CountDownLatch(3);
        try (DispatchStack shoal = new DispatchStack(aws);
             TargetServer target = TargetServer.start((n, event) -> new Reply(200, "", () -> {
                 firstThree.countDown();
                 TargetServer.await(firstThree, Duration.ofSeconds(5));
                 TargetServer.working(30).run();
             }))) {
            shoal.engine.createQueue("work", QueueSettings.builder().partitions(4).defaultSubscription(SubscriptionSettings.builder()
                    .push(new PushTarget(target.url(), 1, Duration.ZERO, 3, Duration.ofSeconds(5)).withEventFormat(EventFormat.SHOAL)).build()).build());
            shoal.produce("work", IntStream.range(0, 24).mapToObj(i -> NewMessage.of("job-" + i)).toList());

            shoal.dispatchUntil(Duration.ofSeconds(20), () -> target.messagesOfAnsweredRequests().size() >= 24
                    && shoal.settled("work", "default"));

            assertEquals(3, target.maxInProgress(), "the limit is reached and never passed");
            assertEquals(24, Set.copyOf(target.messagesOfAnsweredRequests().stream().map(m -> m.path("body").asText()).toList()).size());
        }
    }

    @Test
    void aTargetFailingWith500sAndThenTimeoutsLosesNoMessage(AwsFixture aws) {
        try (DispatchStack shoal = new DispatchStack(aws);
             TargetServer target = TargetServer.start((n, event) -> n <= 4 ? Reply.status(500)
                     : n <= 8 ? new Reply(200, "", TargetServer.working(1_500)) // answers after the 1 s timeout
                     : Reply.ok(""))) {
            shoal.engine.createQueue("flaky-dlq", QueueSettings.builder().build());
            shoal.engine.createQueue("flaky", QueueSettings.builder().defaultSubscription(SubscriptionSettings.builder()
                    .retryPolicy(IMMEDIATE).deadLetter(new DeadLetterPolicy("flaky-dlq", 3))
                    .push(new PushTarget(target.url(), 5, Duration.ZERO, 2, Duration.ofSeconds(1)).withEventFormat(EventFormat.SHOAL)).build()).build());
            List<String> bodies = IntStream.range(0, 20).mapToObj(i -> "m-" + i).toList();
            shoal.produce("flaky", bodies.stream().map(NewMessage::of).toList());

            shoal.dispatchUntil(Duration.ofSeconds(30), () -> target.requests().size() > 8 && shoal.settled("flaky", "default"));

            // acked: answered 2xx within the timeout (requests 9 on); dead-lettered: the rest
            Set<String> acked = new HashSet<>();
            target.requests().stream().filter(r -> r.n() > 8).forEach(r -> r.messages().forEach(m -> acked.add(m.path("body").asText())));
            Set<String> dead = new HashSet<>(shoal.drain("flaky-dlq").stream().map(ReceivedMessage::bodyAsString).toList());
            Set<String> all = new HashSet<>(acked);
            all.addAll(dead);
            assertEquals(Set.copyOf(bodies), all, "every message was delivered or dead-lettered");
            assertTrue(target.requests().stream().anyMatch(r -> r.status() == 500), "the 500s happened");
        }
    }

    @Test
    void aThrottledTargetDoesNotRaiseReceiveCounts(AwsFixture aws) {
        // maxReceiveCount 1: a single counted failure would dead-letter a message
        try (DispatchStack shoal = new DispatchStack(aws);
             TargetServer target = TargetServer.start((n, event) -> n <= 6 ? Reply.status(429) : Reply.ok(""))) {
            shoal.engine.createQueue("busy-dlq", QueueSettings.builder().build());
            shoal.engine.createQueue("busy", QueueSettings.builder().defaultSubscription(SubscriptionSettings.builder()
                    .retryPolicy(IMMEDIATE).deadLetter(new DeadLetterPolicy("busy-dlq", 1))
                    .push(new PushTarget(target.url(), 2, Duration.ZERO, 4, Duration.ofSeconds(5)).withEventFormat(EventFormat.SHOAL)).build()).build());
            shoal.produce("busy", IntStream.range(0, 10).mapToObj(i -> NewMessage.of("m-" + i)).toList());

            shoal.dispatchUntil(Duration.ofSeconds(20), () -> target.messagesOfAnsweredRequests().size() >= 10
                    && shoal.settled("busy", "default"));

            assertEquals(6, target.requests().stream().filter(r -> r.status() == 429).count());
            List<JsonNode> delivered = target.messagesOfAnsweredRequests();
            assertEquals(10, delivered.size(), "each message handled once");
            delivered.forEach(m -> assertEquals(1, m.path("receiveCount").asInt(), m.toString()));
            assertEquals(List.of(), shoal.drain("busy-dlq"));
        }
    }

    @Test
    void anUnreachableTargetKeepsItsMessagesUncountedUntilItIsFixed(AwsFixture aws) throws IOException {
        String closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = "http://127.0.0.1:" + s.getLocalPort() + "/events";
        }
        try (DispatchStack shoal = new DispatchStack(aws); TargetServer target = TargetServer.start((n, event) -> Reply.ok(""))) {
            shoal.engine.createQueue("later-dlq", QueueSettings.builder().build());
            SubscriptionSettings settings = SubscriptionSettings.builder().retryPolicy(IMMEDIATE)
                    .deadLetter(new DeadLetterPolicy("later-dlq", 1))
                    .push(new PushTarget(closed, 10, Duration.ZERO, 1, Duration.ofSeconds(2)).withEventFormat(EventFormat.SHOAL)).build();
            shoal.engine.createQueue("later", QueueSettings.builder().defaultSubscription(settings).build());
            shoal.produce("later", List.of(NewMessage.of("x"), NewMessage.of("y")));

            for (int pass = 0; pass < 3; pass++) {
                shoal.dispatcher.dispatch(dev.shoal.functions.dispatcher.PassBudget.open(java.time.Instant.now(), Duration.ofMillis(300)));
            }
            shoal.engine.updateSubscription("later", "default", settings.toBuilder()
                    .push(new PushTarget(target.url(), 10, Duration.ZERO, 1, Duration.ofSeconds(2)).withEventFormat(EventFormat.SHOAL)).build());
            shoal.dispatchUntil(Duration.ofSeconds(20), () -> target.messagesOfAnsweredRequests().size() >= 2);

            target.messagesOfAnsweredRequests().forEach(m -> assertEquals(1, m.path("receiveCount").asInt(), m.toString()));
            assertEquals(List.of(), shoal.drain("later-dlq"));
        }
    }

    private static List<String> ids(JsonNode event, java.util.function.Predicate<JsonNode> failed) {
        List<String> out = new ArrayList<>();
        event.path("messages").forEach(m -> {
            if (failed.test(m)) out.add(m.path("messageId").asText());
        });
        return out;
    }

    private static long deliveries(TargetServer target, String body) {
        return target.requests().stream().flatMap(r -> r.messages().stream()).filter(m -> m.path("body").asText().equals(body)).count();
    }

    private static int sequence(JsonNode m) {
        String body = m.path("body").asText();
        return Integer.parseInt(body.substring(body.indexOf('-') + 1));
    }
}
