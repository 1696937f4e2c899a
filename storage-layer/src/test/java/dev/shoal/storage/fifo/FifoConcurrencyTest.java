package dev.shoal.storage.fifo;

import dev.shoal.storage.*;
import dev.shoal.storage.api.*;
import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.*;

/**
 * 4 producers, 8 consumers, 1,000 groups on 2 partitions, in real time, with random nacks,
 * abandoned leases and slow handlers, while done ranges expire as early as ADR 0019 allows. Checks per group that the acked sequence is exactly the
 * produced one, and that no message is handed out while its group's earlier message could
 * still be held by another consumer. Bounded: it stops by itself at the deadline.
 */
@ExtendWith(EmbeddedAwsExtension.class)
class FifoConcurrencyTest {

    private static final String Q = "checker.fifo";
    private static final String SUB = Limits.DEFAULT_SUBSCRIPTION;
    private static final int PRODUCERS = 4, CONSUMERS = 8, GROUPS = 1_000, PER_GROUP = 3;
    private static final Duration VISIBILITY = Duration.ofMillis(1500);
    private static final Duration DEADLINE = Duration.ofSeconds(300);
    /**
     * How long after it got its TTL the test's stand-in for DynamoDB's TTL deletes a done range:
     * the least the rules of ADR 0019 allow (claims act on windows read less than
     * {@link FifoReceiver#MAX_WINDOW_AGE} before), where the table would wait an hour or more.
     */
    private static final Duration EXPIRED_AFTER = FifoReceiver.MAX_WINDOW_AGE.plusSeconds(1);

    /** One group's history: the acks of each sequence under way or done, and what was acked. */
    private static final class GroupLog {
        /**
         * Per sequence, the ack calls started and not failed: a later message may be out only while
         * this is above zero. A count, not a time: with two consumers acking one message (one of them
         * with a superseded receipt), the failed one must not undo what the other's ack did.
         */
        final AtomicIntegerArray acksUnderway = new AtomicIntegerArray(PER_GROUP);
        final List<Integer> acked = new CopyOnWriteArrayList<>();
        /** Each successful ack as {@code seq@offset by consumer at millis}: what a failure shows. */
        final List<String> ackHistory = new CopyOnWriteArrayList<>();
        /** Where each sequence number was delivered from: a message is stored once. */
        final Map<Integer, MessageId> storedAt = new ConcurrentHashMap<>();
        /**
         * The latest holder's lease: who, when it was leased at the latest (its receive's return), and
         * until when it is certainly still held (its receive's start + the visibility, or an ack or
         * nack's start). A lease is only known to lie within its receive call, and a receive can
         * return after a lease it made early has run out, so only a lease made wholly inside
         * another's certain hold is a violation.
         */
        volatile long heldFrom = Long.MIN_VALUE;
        volatile long heldUntil;
        volatile int holder = -1;
    }

    @Test
    void everyGroupIsAckedExactlyInProducedOrderAndNeverLeasedToTwoConsumersAtOnce(AwsFixture aws) throws Exception {
        engine(aws).createQueue(Q, QueueSettings.builder().fifo(true).partitions(2).contentBasedDeduplication(true)
                .defaultSubscription(SubscriptionSettings.builder().visibilityTimeout(VISIBILITY)
                        .retryPolicy(new RetryPolicy(Duration.ofMillis(50), 2.0, Duration.ofMillis(200))).build()).build());
        Map<Integer, GroupLog> logs = new ConcurrentHashMap<>();
        for (int g = 0; g < GROUPS; g++) logs.put(g, new GroupLog());
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicInteger ackedTotal = new AtomicInteger();
        AtomicInteger expired = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        long deadline = System.currentTimeMillis() + DEADLINE.toMillis();

        try (ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + CONSUMERS)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                futures.add(pool.submit(() -> produce(engine(aws), producer)));
            }
            for (int c = 0; c < CONSUMERS; c++) {
                int consumer = c;
                futures.add(pool.submit(() -> consume(engine(aws), consumer, logs, violations, ackedTotal, stop, deadline)));
            }
            futures.add(pool.submit(() -> expireEarly(aws, expired, stop, deadline)));
            for (Future<?> f : futures) f.get();
        }

        assertEquals(List.of(), violations);
        assertTrue(expired.get() > 0, "done ranges expired while the groups went on");
        for (var e : logs.entrySet()) {
            assertEquals(List.of(0, 1, 2), e.getValue().acked, "group " + e.getKey() + " acked in order, each once; acks: " + e.getValue().ackHistory);
        }
    }

    /** Deletes the done ranges whose TTL was set {@link #EXPIRED_AFTER} ago, as the table's TTL would, much later. */
    private static Void expireEarly(AwsFixture aws, AtomicInteger expired, AtomicBoolean stop, long deadline) throws InterruptedException {
        long ttlAhead = FifoState.FINISHED_RANGE_TTL.minus(EXPIRED_AFTER).toSeconds();
        while (!stop.get() && System.currentTimeMillis() < deadline) {
            long due = System.currentTimeMillis() / 1000 + ttlAhead;
            aws.dynamo().scanPaginator(b -> b.tableName(aws.tables().stateTable())
                            .filterExpression("begins_with(" + ShoalTables.STATE_SORT_KEY + ", :r) AND #ttl <= :due")
                            .expressionAttributeNames(Map.of("#ttl", ShoalTables.STATE_TTL_ATTRIBUTE))
                            .expressionAttributeValues(Map.of(":r", AttributeValue.fromS("r#"), ":due", AttributeValue.fromN(Long.toString(due)))))
                    .items().forEach(item -> {
                        aws.dynamo().deleteItem(d -> d.tableName(aws.tables().stateTable())
                                .key(Map.of(ShoalTables.STATE_PARTITION_KEY, item.get(ShoalTables.STATE_PARTITION_KEY),
                                        ShoalTables.STATE_SORT_KEY, item.get(ShoalTables.STATE_SORT_KEY))));
                        expired.incrementAndGet();
                    });
            Thread.sleep(250);
        }
        return null;
    }

    private static Void produce(ShoalEngine shoal, int producer) {
        int groupsEach = GROUPS / PRODUCERS;
        for (int seq = 0; seq < PER_GROUP; seq++) {
            for (int from = 0; from < groupsEach; from += 10) {
                List<NewMessage> batch = new ArrayList<>();
                for (int g = from; g < Math.min(groupsEach, from + 10); g++) {
                    int group = producer * groupsEach + g;
                    batch.add(NewMessage.builder().groupId("g" + group).body(group + ":" + seq).build());
                }
                shoal.produce(Q, batch);
            }
        }
        return null;
    }

    private static Void consume(ShoalEngine shoal, int consumer, Map<Integer, GroupLog> logs, List<String> violations,
                                AtomicInteger ackedTotal, AtomicBoolean stop, long deadline) throws InterruptedException {
        Random random = new Random(consumer);
        while (!stop.get() && System.currentTimeMillis() < deadline) {
            long before = System.currentTimeMillis();
            List<ReceivedMessage> got = shoal.receive(Q, SUB, ReceiveRequest.builder().maxMessages(10).waitTime(Duration.ofMillis(200)).build());
            long after = System.currentTimeMillis();
            Map<Integer, Integer> lastSeqInBatch = new java.util.HashMap<>();
            for (ReceivedMessage m : got) {
                String[] parts = m.bodyAsString().split(":");
                int group = Integer.parseInt(parts[0]), seq = Integer.parseInt(parts[1]);
                GroupLog log = logs.get(group);
                MessageId stored = log.storedAt.putIfAbsent(seq, m.id());
                if (stored != null && !stored.equals(m.id())) {
                    violations.add("group " + group + ": message " + seq + " stored twice, at " + stored + " and " + m.id());
                }
                Integer previousInBatch = lastSeqInBatch.put(group, seq);
                if (previousInBatch != null && previousInBatch != seq - 1) {
                    violations.add("group " + group + ": " + previousInBatch + " then " + seq + " in one receive");
                }
                if (previousInBatch == null) {
                    if (seq > 0 && log.acksUnderway.get(seq - 1) == 0) {
                        violations.add("group " + group + ": " + seq + " delivered (" + m.id() + " to " + consumer + ") before "
                                + (seq - 1) + " was acked; acks so far " + log.ackHistory);
                    }
                    synchronized (log) {
                        if (log.holder != consumer && log.holder >= 0 && before >= log.heldFrom && after < log.heldUntil) {
                            violations.add("group " + group + " leased to consumer " + consumer + " (receive " + before + "-" + after
                                    + ") while " + log.holder + " held it (" + log.heldFrom + "-" + log.heldUntil + ")");
                        }
                        if (after > log.heldFrom) { // the newest lease of the group
                            log.holder = consumer;
                            log.heldFrom = after;
                            log.heldUntil = before + VISIBILITY.toMillis();
                        }
                    }
                }
            }
            List<ReceivedMessage> toAck = new ArrayList<>();
            List<NackEntry> toNack = new ArrayList<>();
            Map<Integer, Boolean> groupDecided = new java.util.HashMap<>();
            for (ReceivedMessage m : got) {
                int group = Integer.parseInt(m.bodyAsString().split(":")[0]);
                if (groupDecided.containsKey(group)) {
                    if (groupDecided.get(group)) toAck.add(m);
                    continue; // once a group's message is not acked, its later ones are not either
                }
                int roll = random.nextInt(100);
                if (roll < 75) {
                    toAck.add(m);
                    groupDecided.put(group, true);
                } else if (roll < 85) {
                    toNack.add(new NackEntry(m.receipt(), Duration.ofMillis(random.nextInt(200))));
                    groupDecided.put(group, false);
                } else if (roll < 95) {
                    groupDecided.put(group, false); // abandoned: the lease runs out
                } else {
                    Thread.sleep(150); // slow handler, then ack
                    toAck.add(m);
                    groupDecided.put(group, true);
                }
            }
            if (!toNack.isEmpty()) {
                // the hold ends when the nack starts, as an ack's does: its write can land (and, after a short
                // backoff, another consumer receive the message) long before the nack call returns
                long nackStart = System.currentTimeMillis();
                for (NackEntry n : toNack) {
                    got.stream().filter(m -> m.receipt().equals(n.receipt())).findFirst().ifPresent(m -> {
                        GroupLog log = logs.get(Integer.parseInt(m.bodyAsString().split(":")[0]));
                        log.heldUntil = Math.min(nackStart, log.heldUntil);
                    });
                }
                shoal.nack(Q, SUB, toNack);
            }
            if (!toAck.isEmpty()) {
                long ackStart = System.currentTimeMillis();
                for (ReceivedMessage m : toAck) {
                    String[] parts = m.bodyAsString().split(":");
                    GroupLog log = logs.get(Integer.parseInt(parts[0]));
                    log.acksUnderway.incrementAndGet(Integer.parseInt(parts[1]));
                    log.heldUntil = Math.min(log.heldUntil, ackStart);
                }
                List<ReceiptResult> results = shoal.ack(Q, SUB, toAck.stream().map(ReceivedMessage::receipt).toList());
                for (int i = 0; i < results.size(); i++) {
                    String[] parts = toAck.get(i).bodyAsString().split(":");
                    GroupLog log = logs.get(Integer.parseInt(parts[0]));
                    if (results.get(i).succeeded()) {
                        log.acked.add(Integer.parseInt(parts[1]));
                        log.ackHistory.add(parts[1] + "@" + toAck.get(i).id() + " by " + consumer + " at " + System.currentTimeMillis());
                        if (ackedTotal.incrementAndGet() == GROUPS * PER_GROUP) stop.set(true);
                    } else {
                        log.acksUnderway.decrementAndGet(Integer.parseInt(parts[1])); // expired or superseded: not this call's ack
                        log.ackHistory.add("(refused " + parts[1] + "@" + toAck.get(i).id() + " by " + consumer + ": "
                                + results.get(i).failure().map(f -> f.code()).orElse("?") + ")");
                    }
                }
            }
        }
        return null;
    }

    private static ShoalEngine engine(AwsFixture aws) {
        return ShoalEngine.builder().dynamo(aws.dynamo()).s3(aws.s3()).tables(aws.tables()).bucket(aws.bucket())
                .clock(Clock.systemUTC()).receiptSecret(TestEngines.SECRET).build();
    }
}
