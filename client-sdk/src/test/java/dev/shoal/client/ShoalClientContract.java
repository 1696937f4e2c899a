package dev.shoal.client;

import dev.shoal.client.testing.TestStack;
import dev.shoal.storage.api.ConflictException;
import dev.shoal.storage.api.DeadLetterPolicy;
import dev.shoal.storage.api.InvalidReceiptException;
import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.MessageAttribute;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.NotFoundException;
import dev.shoal.storage.api.ProducedMessage;
import dev.shoal.storage.api.PushTarget;
import dev.shoal.storage.api.QueueDescription;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.RedriveRequest;
import dev.shoal.storage.api.RedriveResult;
import dev.shoal.storage.api.RetryPolicy;
import dev.shoal.storage.api.SeekTarget;
import dev.shoal.storage.api.ShoalException;
import dev.shoal.storage.api.SubscriptionDescription;
import dev.shoal.storage.api.SubscriptionSettings;
import dev.shoal.storage.api.SubscriptionStats;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a {@link ShoalClient} does, whatever carries it: one suite, run against each transport
 * by a subclass, over a real engine on the embedded AWS stack. Every native-API operation is
 * here, with the error kinds and codes a caller sees.
 */
@ExtendWith(EmbeddedAwsExtension.class)
abstract class ShoalClientContract {

    protected TestStack stack;
    protected ShoalClient client;

    protected abstract TestStack.Kind kind();

    @BeforeEach
    void start(AwsFixture aws) {
        stack = TestStack.start(aws, kind());
        client = stack.client();
    }

    @AfterEach
    void stop() {
        client.close();
        stack.close();
    }

    protected static NewMessage text(String body) {
        return NewMessage.of(body);
    }

    protected List<ReceivedMessage> receive(String queue, String subscription, int max) {
        return client.receive(ReceiveMessagesRequest.builder().queue(queue).subscription(subscription).maxMessages(max).build());
    }

    protected static Set<String> bodies(List<ReceivedMessage> messages) {
        return messages.stream().map(ReceivedMessage::bodyAsString).collect(Collectors.toSet());
    }

    // ---- queues

    @Test
    void createdQueueIsDescribedWithItsSettings() {
        QueueSettings settings = QueueSettings.builder().partitions(2).retention(Duration.ofDays(2)).deliveryDelay(Duration.ofSeconds(1))
                .maxMessageBytes(2048).defaultSubscription(SubscriptionSettings.builder().visibilityTimeout(Duration.ofSeconds(45))
                        .retryPolicy(new RetryPolicy(Duration.ofMillis(250), 3.0, Duration.ofMinutes(2))).build())
                .build();

        QueueDescription created = client.createQueue("orders", settings);
        QueueDescription described = client.describeQueue("orders");

        assertEquals("orders", created.name());
        assertEquals(settings, created.settings());
        assertEquals(settings, described.settings());
        assertNotNull(described.createdAt());
        assertEquals(SubscriptionStats.EMPTY.visible(), described.stats().visible());
    }

    @Test
    void aHighThroughputFifoQueueIsDescribedWithItsDeduplicationScopeAndThroughputLimit() {
        QueueSettings settings = QueueSettings.builder().fifo(true).contentBasedDeduplication(true)
                .deduplicationScope(dev.shoal.storage.api.DeduplicationScope.MESSAGE_GROUP)
                .fifoThroughputLimit(dev.shoal.storage.api.FifoThroughputLimit.PER_MESSAGE_GROUP_ID).build();

        assertEquals(settings, client.createQueue("fast.fifo", settings).settings());
        assertEquals(settings, client.describeQueue("fast.fifo").settings());
    }

    @Test
    void creatingAQueueAgainWithTheSameSettingsIsANoOpAndWithOthersAConflict() {
        client.createQueue("orders");

        assertEquals("orders", client.createQueue("orders").name());
        ConflictException e = assertThrows(ConflictException.class,
                () -> client.createQueue("orders", QueueSettings.builder().partitions(3).build()));
        assertEquals("QueueAlreadyExists", e.code());
    }

    @Test
    void updateChangesSettingsAndRefusesAMissingQueue() {
        client.createQueue("orders");
        QueueSettings wider = QueueSettings.builder().partitions(4).build();

        assertEquals(4, client.updateQueue("orders", wider).settings().partitions());
        assertEquals(4, client.describeQueue("orders").settings().partitions());
        NotFoundException e = assertThrows(NotFoundException.class, () -> client.updateQueue("missing", wider));
        assertEquals("QueueNotFound", e.code());
    }

    @Test
    void listQueuesFiltersByPrefixInNameOrder() {
        client.createQueue("b-orders");
        client.createQueue("a-orders");
        client.createQueue("payments");

        assertEquals(List.of("a-orders", "b-orders", "payments"), client.listQueues());
        assertEquals(List.of("a-orders"), client.listQueues("a-"));
    }

    @Test
    void deletedQueueIsNotFound() {
        client.createQueue("orders");

        client.deleteQueue("orders");

        NotFoundException e = assertThrows(NotFoundException.class, () -> client.describeQueue("orders"));
        assertEquals("QueueNotFound", e.code());
        assertFalse(client.listQueues().contains("orders"));
    }

    @Test
    void purgeDropsEveryMessage() {
        client.createQueue("orders");
        client.produce("orders", List.of(text("a"), text("b")));

        client.purgeQueue("orders");

        assertEquals(List.of(), receive("orders", "default", 10));
    }

    @Test
    void unknownQueueIsNotFoundWithItsCode() {
        NotFoundException e = assertThrows(NotFoundException.class, () -> client.produce("missing", List.of(text("a"))));
        assertEquals("QueueNotFound", e.code());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void invalidMessageIsRefusedNamingTheField() {
        client.createQueue("orders.fifo");

        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> client.produce("orders.fifo", List.of(NewMessage.builder().body("x").dedupId("d1").build())));

        assertEquals("InvalidRequest", e.code());
        assertEquals("messages[0].groupId", e.field());
        assertTrue(e.getMessage().contains("groupId"), e.getMessage());
    }

    // ---- subscriptions

    @Test
    void subscriptionsAreCreatedDescribedListedUpdatedAndDeleted() {
        client.createQueue("orders");
        SubscriptionSettings settings = SubscriptionSettings.builder().visibilityTimeout(Duration.ofMinutes(2)).build();

        SubscriptionDescription created = client.createSubscription("orders", "billing", settings);
        assertEquals(settings, created.settings());
        assertEquals("billing", client.describeSubscription("orders", "billing").name());
        assertEquals(Set.of("default", "billing"),
                client.listSubscriptions("orders").stream().map(SubscriptionDescription::name).collect(Collectors.toSet()));

        SubscriptionSettings longer = settings.toBuilder().visibilityTimeout(Duration.ofMinutes(5)).build();
        assertEquals(longer, client.updateSubscription("orders", "billing", longer).settings());
        ConflictException conflict = assertThrows(ConflictException.class,
                () -> client.createSubscription("orders", "billing", settings));
        assertEquals("SubscriptionAlreadyExists", conflict.code());

        client.deleteSubscription("orders", "billing");
        NotFoundException gone = assertThrows(NotFoundException.class, () -> client.describeSubscription("orders", "billing"));
        assertEquals("SubscriptionNotFound", gone.code());
    }

    @Test
    void aPushSubscriptionKeepsItsEventFormatAndResponseHandling() {
        client.createQueue("orders");
        PushTarget shoalEvents = PushTarget.of("http://127.0.0.1:9000/events").withEventFormat(PushTarget.EventFormat.SHOAL)
                .withReportBatchItemFailures(false);
        SubscriptionSettings settings = SubscriptionSettings.builder().push(shoalEvents).build();

        assertEquals(settings, client.createSubscription("orders", "webhook", settings).settings());
        assertEquals(shoalEvents, client.describeSubscription("orders", "webhook").settings().push());
        assertEquals(PushTarget.EventFormat.SQS, client.createSubscription("orders", "lambda", SubscriptionSettings.builder()
                .push(PushTarget.of("http://127.0.0.1:9000/sqs")).build()).settings().push().eventFormat());
    }

    @Test
    void eachSubscriptionSeesEveryMessage() {
        client.createQueue("orders");
        client.createSubscription("orders", "billing", SubscriptionSettings.DEFAULT);

        client.produce("orders", List.of(text("a"), text("b")));

        assertEquals(Set.of("a", "b"), bodies(receive("orders", "default", 10)));
        assertEquals(Set.of("a", "b"), bodies(receive("orders", "billing", 10)));
    }

    @Test
    void seekToEarliestReplaysAckedMessages() {
        client.createQueue("orders");
        client.produce("orders", List.of(text("a"), text("b")));
        List<ReceivedMessage> first = receive("orders", "default", 10);
        client.ack(AckMessagesRequest.of("orders", "default", first.stream().map(ReceivedMessage::receipt).toList()));
        assertEquals(List.of(), receive("orders", "default", 10));

        client.seek("orders", "default", SeekTarget.earliest());

        assertEquals(Set.of("a", "b"), bodies(receive("orders", "default", 10)));
    }

    // ---- messages

    @Test
    void producedMessagesRoundTripBodiesAttributesAndGroups() {
        client.createQueue("orders");
        byte[] binary = {0, (byte) 0xff, (byte) 0xfe, 1};
        NewMessage textual = NewMessage.builder().body("héllo").attribute("color", "blue")
                .attribute("count", MessageAttribute.number("42")).attribute("blob", MessageAttribute.binary(new byte[]{9, 8}))
                .groupId("g1").build();
        NewMessage bytes = NewMessage.builder().body(binary).build();

        List<ProducedMessage> produced = client.produce("orders", List.of(textual, bytes));
        List<ReceivedMessage> received = receive("orders", "default", 10);

        assertEquals(2, produced.size());
        assertFalse(produced.getFirst().duplicate());
        ReceivedMessage t = received.stream().filter(m -> m.id().equals(produced.get(0).id())).findFirst().orElseThrow();
        ReceivedMessage b = received.stream().filter(m -> m.id().equals(produced.get(1).id())).findFirst().orElseThrow();
        assertEquals("héllo", t.bodyAsString());
        assertEquals(MessageAttribute.string("blue"), t.attributes().get("color"));
        assertEquals(MessageAttribute.number("42"), t.attributes().get("count"));
        assertEquals(MessageAttribute.binary(new byte[]{9, 8}), t.attributes().get("blob"));
        assertEquals("g1", t.groupId());
        assertEquals(1, t.receiveCount());
        assertNotNull(t.sentAt());
        assertNotNull(t.firstReceivedAt());
        assertArrayEquals(binary, b.body());
    }

    @Test
    void ackedMessagesAreGoneAndCounted() {
        client.createQueue("orders");
        client.produce("orders", List.of(text("a"), text("b"), text("c")));
        assertEquals(3, client.stats("orders", "default").visible());

        List<ReceivedMessage> received = receive("orders", "default", 10);
        SubscriptionStats leased = client.stats("orders", "default");
        List<ReceiptResult> acked = client.ack(AckMessagesRequest.of("orders", "default",
                received.stream().map(ReceivedMessage::receipt).toList()));

        assertEquals(3, leased.inFlight());
        assertTrue(acked.stream().allMatch(ReceiptResult::succeeded));
        SubscriptionStats after = client.stats("orders", "default");
        assertEquals(0, after.visible());
        assertEquals(0, after.inFlight());
        assertEquals(List.of(), receive("orders", "default", 10));
    }

    @Test
    void nackedMessageComesBackWithAHigherReceiveCount() {
        client.createQueue("orders");
        client.produce("orders", List.of(text("a")));
        ReceivedMessage first = receive("orders", "default", 1).getFirst();

        List<ReceiptResult> nacked = client.nack(NackMessagesRequest.builder().queue("orders")
                .receipt(first.receipt(), Duration.ZERO).build());
        ReceivedMessage again = receive("orders", "default", 1).getFirst();

        assertTrue(nacked.getFirst().succeeded());
        assertEquals(first.id(), again.id());
        assertEquals(2, again.receiveCount());
    }

    @Test
    void visibilityZeroReleasesALeaseAndALongerOneKeepsIt() {
        client.createQueue("orders");
        client.produce("orders", List.of(text("a"), text("b")));
        List<ReceivedMessage> leased = client.receive(ReceiveMessagesRequest.builder().queue("orders").maxMessages(2)
                .visibilityTimeout(Duration.ofMinutes(5)).build());
        ReceivedMessage a = leased.stream().filter(m -> m.bodyAsString().equals("a")).findFirst().orElseThrow();

        List<ReceiptResult> changed = client.changeVisibility(ChangeVisibilityRequest.builder().queue("orders")
                .change(a.receipt(), Duration.ZERO).build());

        assertTrue(changed.getFirst().succeeded());
        List<ReceivedMessage> again = receive("orders", "default", 10);
        assertEquals(Set.of("a"), bodies(again));
    }

    @Test
    void aForgedReceiptFailsOnlyItsOwnEntry() {
        client.createQueue("orders");
        client.produce("orders", List.of(text("a")));
        ReceivedMessage m = receive("orders", "default", 1).getFirst();

        List<ReceiptResult> results = client.ack(AckMessagesRequest.of("orders", "default", List.of(m.receipt(), "forged-receipt")));

        assertTrue(results.get(0).succeeded());
        ShoalException error = results.get(1).failure().orElseThrow();
        assertInstanceOf(InvalidReceiptException.class, error);
        assertEquals("ReceiptHandleIsInvalid", error.code());
    }

    @Test
    void deadLettersMoveAfterTooManyReceivesAndRedriveBringsThemBack() {
        client.createQueue("orders-dlq");
        client.createQueue("orders", QueueSettings.builder().defaultSubscription(SubscriptionSettings.builder()
                .deadLetter(new DeadLetterPolicy("orders-dlq", 1)).build()).build());
        client.produce("orders", List.of(text("poison")));
        ReceivedMessage first = receive("orders", "default", 1).getFirst();
        client.nack(NackMessagesRequest.builder().queue("orders").receipt(first.receipt(), Duration.ZERO).build());

        assertEquals(List.of(), receive("orders", "default", 1)); // moved instead of delivered a second time
        assertEquals(1, client.stats("orders-dlq", "default").visible());

        RedriveResult redriven = client.redrive("orders-dlq", new RedriveRequest(null, 10, 100));

        assertEquals(1, redriven.moved());
        assertFalse(redriven.remaining());
        assertEquals(Set.of("poison"), bodies(receive("orders", "default", 1)));
    }

    @Test
    void asyncCallsCompleteWithTheSameValuesAndErrors() {
        ShoalAsyncClient async = client.async();
        async.createQueue("orders", QueueSettings.builder().build()).join();

        List<ProducedMessage> produced = async.produce("orders", List.of(text("a"))).join();
        List<ReceivedMessage> received = async.receive(ReceiveMessagesRequest.builder().queue("orders").maxMessages(5).build()).join();
        List<ReceiptResult> acked = async.ack(AckMessagesRequest.of("orders", "default", List.of(received.getFirst().receipt()))).join();

        assertEquals(produced.getFirst().id(), received.getFirst().id());
        assertTrue(acked.getFirst().succeeded());
        assertEquals(0, async.stats("orders", "default").join().inFlight());
        CompletionException e = assertThrows(CompletionException.class, () -> async.describeQueue("missing").join());
        assertInstanceOf(NotFoundException.class, e.getCause());
    }

    @Test
    void aClosedClientRefusesCalls() {
        client.close();

        assertThrows(IllegalStateException.class, () -> client.listQueues());
    }

    // ---- what the engine is still building (FIFO ordering, deduplication, receive attempts, idempotent producers)

    @Test
    void duplicateWithinWindowReturnsOriginalId() {
        client.createQueue("orders.fifo");
        NewMessage m = NewMessage.builder().body("a").groupId("g").dedupId("d-1").build();

        ProducedMessage original = client.produce("orders.fifo", List.of(m)).getFirst();
        ProducedMessage duplicate = client.produce("orders.fifo", List.of(m)).getFirst();

        assertTrue(duplicate.duplicate());
        assertEquals(original.id(), duplicate.id());
    }

    @Test
    void retriedIdempotentProduceReturnsOriginalIds() {
        client.createQueue("orders");
        ProduceMessagesRequest request = ProduceMessagesRequest.builder().queue("orders").message(text("a")).message(text("b"))
                .partition(0).producerId("producer-1").sequence(0).build();

        List<ProducedMessage> original = client.produce(request);
        List<ProducedMessage> retried = client.produce(request);

        assertEquals(original.stream().map(ProducedMessage::id).toList(), retried.stream().map(ProducedMessage::id).toList());
        assertTrue(retried.stream().allMatch(ProducedMessage::duplicate));
        assertEquals(2, client.stats("orders", "default").visible());
    }

    @Test
    void fifoGroupIsHeldWhileItsFirstMessageIsLeased() {
        client.createQueue("orders.fifo");
        client.produce("orders.fifo", List.of(
                NewMessage.builder().body("g1-a").groupId("g1").dedupId("1").build(),
                NewMessage.builder().body("g1-b").groupId("g1").dedupId("2").build(),
                NewMessage.builder().body("g2-a").groupId("g2").dedupId("3").build()));

        ReceivedMessage first = client.receive(ReceiveMessagesRequest.builder().queue("orders.fifo").maxMessages(1).build()).getFirst();
        List<ReceivedMessage> others = receive("orders.fifo", "default", 10);

        String group = first.groupId();
        assertTrue(first.bodyAsString().endsWith("-a"), "the first of its group first: " + first.bodyAsString());
        assertTrue(others.stream().noneMatch(m -> m.groupId().equals(group)),
                "nothing more of " + group + " while its first message is leased: " + bodies(others));
        client.ack(AckMessagesRequest.of("orders.fifo", "default",
                List.of(first.receipt())));
        if (group.equals("g1")) {
            assertEquals(Set.of("g1-b"), bodies(receive("orders.fifo", "default", 10)));
        }
    }

    @Test
    void retriedReceiveWithTheSameAttemptIdReturnsTheSameMessages() {
        client.createQueue("orders.fifo");
        client.produce("orders.fifo", List.of(NewMessage.builder().body("a").groupId("g").dedupId("1").build()));
        ReceiveMessagesRequest request = ReceiveMessagesRequest.builder().queue("orders.fifo").maxMessages(10)
                .receiveAttemptId("attempt-1").build();

        List<ReceivedMessage> first = client.receive(request);
        List<ReceivedMessage> retried = client.receive(request);

        assertEquals(1, first.size());
        assertEquals(first.stream().map(ReceivedMessage::id).toList(), retried.stream().map(ReceivedMessage::id).toList());
    }

    protected static byte[] bytes(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }
}
