package dev.shoal.bench;

import dev.shoal.storage.metering.Meter;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One open-loop run against one SQS endpoint, as an application would drive SQS: N sender
 * threads making single-message SendMessage calls and M receiver threads looping ReceiveMessage
 * (up to 10, long poll) then DeleteMessageBatch of what they got, all through one unchanged
 * {@link SqsClient}.
 *
 * <p>Sends follow a schedule: message {@code i} is due at {@code origin + i / rate}. Whichever
 * sender is free takes the next message, waits for its due time (or sends at once when late) and
 * stamps the due time in the body; latencies are measured from the due time. Sending stops at
 * the end of the schedule: messages no sender reached by then are counted as not sent, so an
 * endpoint that cannot keep up shows a lower accepted rate instead of a longer run.
 */
final class SqsLoad {

    /**
     * @param rate         messages per second offered, all senders together
     * @param senders      sender threads
     * @param receivers    receiver threads
     * @param seconds      how long the schedule lasts
     * @param waitSeconds  ReceiveMessage's WaitTimeSeconds (0-20)
     * @param size         body bytes
     * @param groups       FIFO: MessageGroupIds used, round robin; 0 for a standard queue
     * @param drainSeconds after the last send, how long receivers may take to get the rest
     */
    record Config(double rate, int senders, int receivers, double seconds, int waitSeconds, int size, int groups, double drainSeconds) {
        long scheduled() {
            return Math.max(1, Math.round(rate * seconds));
        }

        boolean fifo() {
            return groups > 0;
        }
    }

    /**
     * One run's figures.
     *
     * @param deleteCall  each DeleteMessageBatch, from its request to its response
     * @param calls       requests by operation as SQS would count them ("ReceiveMessage" includes the empty ones,
     *                    also counted apart as "ReceiveMessage(empty)")
     * @param errors      failed calls by "Operation: error code or exception"
     * @param firstSendSeconds from the origin to the first send's response
     * @param sendSeconds from the origin to the last send's response
     * @param firstReceiveSeconds from the origin to the first delivery
     * @param lastReceiveSeconds from the origin to the last first delivery
     * @param usage       Shoal: storage usage the run caused; ElasticMQ: null
     */
    record Result(String target, Config config, long sent, long received, long duplicates, double firstSendSeconds, double sendSeconds,
                  double firstReceiveSeconds, double lastReceiveSeconds, Latencies endToEnd, Latencies sendFromSchedule, Latencies sendCall,
                  Latencies deleteCall, Map<String, Long> calls, Map<String, Long> errors, long sqsBillableRequests, Meter.Usage usage) {

        /** Sends acknowledged per second, between the first acknowledgement and the last. */
        double acceptedRate() {
            return rate(sent, firstSendSeconds, sendSeconds);
        }

        /** Messages first delivered per second, between the first delivery and the last. */
        double receivedRate() {
            return rate(received, firstReceiveSeconds, lastReceiveSeconds);
        }

        /** n events spread from first to last: n - 1 intervals (a steady stream at r per second gives r whatever its latency). */
        private double rate(long n, double first, double last) {
            if (n < 2 || last <= first) return n == 0 ? 0 : n / config.seconds();
            return (n - 1) / (last - first);
        }

        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Accepted at least 95% of the offered rate and delivered every accepted message within the drain time. */
        boolean keptUp() {
            return acceptedRate() >= 0.95 * config.rate() && received >= sent && sent > 0;
        }

        long totalCalls() {
            return calls.entrySet().stream().filter(e -> !e.getKey().contains("(")).mapToLong(Map.Entry::getValue).sum();
        }
    }

    /** A message may still be sent this long after the schedule's end; later ones count as not sent. */
    static final long LATE_GRACE_NANOS = 1_000_000_000L;

    private SqsLoad() {
    }

    /** Creates {@code queue} (with the endpoint's extra attributes) on {@code endpoint} and runs {@code config} against it; returns when every thread has stopped. */
    static Result run(SqsEndpoint endpoint, String queue, Config config) {
        SqsClient sqs = endpoint.sqs();
        Map<String, String> attributes = new TreeMap<>(endpoint.queueAttributes());
        if (config.fifo()) attributes.put(QueueAttributeName.FIFO_QUEUE.toString(), "true");
        String url = sqs.createQueue(b -> b.queueName(config.fifo() ? queue + ".fifo" : queue).attributesWithStrings(attributes)).queueUrl();
        Meter.Usage before = endpoint.usage();
        Run run = new Run(sqs, url, config);
        run.execute();
        endpoint.janitorPass(); // the done chunks the run left are deleted on its bill, as the janitor would
        Meter.Usage usage = before == null ? null : endpoint.usage().minus(before);
        return run.result(endpoint.name(), usage);
    }

    /** The state of one run, shared by its threads. */
    private static final class Run {
        private final SqsClient sqs;
        private final String url;
        private final Config config;
        private final TimedBodies bodies;
        private final int n;
        private final AtomicLong next = new AtomicLong();
        private final AtomicIntegerArray deliveries;
        private final LongAdder sent = new LongAdder();
        private final LongAdder received = new LongAdder();
        private final LongAdder duplicates = new LongAdder();
        private final LongAdder billable = new LongAdder();
        private final AtomicLong firstSendAck = new AtomicLong(Long.MAX_VALUE);
        private final AtomicLong lastSendAck = new AtomicLong();
        private final AtomicLong firstReceive = new AtomicLong(Long.MAX_VALUE);
        private final AtomicLong lastReceive = new AtomicLong();
        private final Latencies endToEnd = new Latencies();
        private final Latencies sendFromSchedule = new Latencies();
        private final Latencies sendCall = new Latencies();
        private final Latencies deleteCall = new Latencies();
        private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
        private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        private final AtomicBoolean receiving = new AtomicBoolean(true);
        private long origin;

        Run(SqsClient sqs, String url, Config config) {
            this.sqs = sqs;
            this.url = url;
            this.config = config;
            this.bodies = new TimedBodies(config.size());
            this.n = Math.toIntExact(config.scheduled());
            this.deliveries = new AtomicIntegerArray(n);
        }

        void execute() {
            // the origin leaves the threads time to start, so message 0 is not late by construction
            origin = System.nanoTime() + 50_000_000L;
            long end = origin + (long) (config.seconds() * 1e9) + LATE_GRACE_NANOS;
            List<Thread> receiverThreads = new ArrayList<>();
            for (int i = 0; i < config.receivers(); i++) {
                receiverThreads.add(Thread.ofPlatform().name("sqs-receiver-" + i).daemon().start(this::receiveLoop));
            }
            List<Thread> senderThreads = new ArrayList<>();
            for (int i = 0; i < config.senders(); i++) {
                senderThreads.add(Thread.ofPlatform().name("sqs-sender-" + i).daemon().start(() -> sendLoop(end)));
            }
            Bench.joinAll(senderThreads);
            long drainUntil = System.nanoTime() + (long) (config.drainSeconds() * 1e9);
            while (received.sum() < sent.sum() && System.nanoTime() < drainUntil) {
                LockSupport.parkNanos(5_000_000L);
            }
            receiving.set(false); // receivers finish the long poll they are in
            Bench.joinAll(receiverThreads);
        }

        private void sendLoop(long end) {
            while (true) {
                long i = next.getAndIncrement();
                if (i >= n) return;
                long due = origin + (long) (i * 1e9 / config.rate());
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                long start = System.nanoTime();
                if (start > end) return; // behind schedule at its end: the rest is not sent
                SendMessageRequest.Builder request = SendMessageRequest.builder().queueUrl(url)
                        .messageBody(bodies.body(i, (due - origin) / 1_000));
                if (config.fifo()) {
                    request.messageGroupId("g" + (i % config.groups())).messageDeduplicationId(Long.toString(i));
                }
                try {
                    sqs.sendMessage(request.build());
                    long now = System.nanoTime();
                    sendCall.add(now - start);
                    sendFromSchedule.add(now - due);
                    sent.increment();
                    firstSendAck.accumulateAndGet(now - origin, Math::min);
                    lastSendAck.accumulateAndGet(now - origin, Math::max);
                } catch (RuntimeException e) {
                    error("SendMessage", e);
                } finally {
                    count("SendMessage");
                    billable.add(chunks(config.size()));
                }
            }
        }

        private void receiveLoop() {
            while (receiving.get()) {
                List<Message> got;
                try {
                    got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(config.waitSeconds())
                            .visibilityTimeout(30)).messages();
                } catch (RuntimeException e) {
                    error("ReceiveMessage", e);
                    count("ReceiveMessage");
                    billable.increment();
                    continue;
                }
                long now = System.nanoTime();
                count("ReceiveMessage");
                billable.add(chunks((long) got.size() * config.size()));
                if (got.isEmpty()) {
                    count("ReceiveMessage(empty)");
                    continue;
                }
                List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>(got.size());
                for (Message m : got) {
                    delivered(m.body(), now);
                    deletes.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(deletes.size())).receiptHandle(m.receiptHandle()).build());
                }
                long deleteStart = System.nanoTime();
                try {
                    DeleteMessageBatchResponse d = sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(deletes));
                    deleteCall.add(System.nanoTime() - deleteStart);
                    d.failed().forEach(f -> errors.computeIfAbsent("DeleteMessageBatch entry: " + f.code(), k -> new LongAdder()).increment());
                } catch (RuntimeException e) {
                    error("DeleteMessageBatch", e);
                } finally {
                    count("DeleteMessageBatch");
                    billable.increment();
                }
            }
        }

        private void delivered(String body, long now) {
            long seq = TimedBodies.seq(body);
            if (seq < 0 || seq >= n || deliveries.getAndIncrement((int) seq) > 0) {
                duplicates.increment();
                return;
            }
            endToEnd.add(now - (origin + TimedBodies.dueMicros(body) * 1_000));
            received.increment();
            firstReceive.accumulateAndGet(now - origin, Math::min);
            lastReceive.accumulateAndGet(now - origin, Math::max);
        }

        /** SQS bills each started 64 KiB of a request's payload as one request. */
        private static long chunks(long bytes) {
            return Math.max(1, (bytes + Prices.SQS_CHUNK_BYTES - 1) / Prices.SQS_CHUNK_BYTES);
        }

        private void count(String operation) {
            calls.computeIfAbsent(operation, k -> new LongAdder()).increment();
        }

        private void error(String operation, RuntimeException e) {
            String kind = e instanceof AwsServiceException s && s.awsErrorDetails() != null && s.awsErrorDetails().errorCode() != null
                    ? s.awsErrorDetails().errorCode() : e.getClass().getSimpleName();
            errors.computeIfAbsent(operation + ": " + kind, k -> new LongAdder()).increment();
        }

        Result result(String target, Meter.Usage usage) {
            return new Result(target, config, sent.sum(), received.sum(), duplicates.sum(), firstSendAck.get() / 1e9, lastSendAck.get() / 1e9,
                    firstReceive.get() / 1e9, lastReceive.get() / 1e9, endToEnd, sendFromSchedule, sendCall, deleteCall, snapshot(calls), snapshot(errors), billable.sum(), usage);
        }

        private static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
            Map<String, Long> out = new TreeMap<>();
            counts.forEach((k, v) -> out.put(k, v.sum()));
            return out;
        }
    }
}
