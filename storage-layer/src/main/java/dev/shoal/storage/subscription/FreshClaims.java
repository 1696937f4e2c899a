package dev.shoal.storage.subscription;

import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.Sleeper;
import dev.shoal.storage.batching.Coalescer;
import dev.shoal.storage.batching.Gathering;
import dev.shoal.storage.batching.Outcome;
import dev.shoal.storage.catalog.SubscriptionRef;
import dev.shoal.storage.log.IndexEntry;
import dev.shoal.storage.log.LogIndex;
import dev.shoal.storage.s3.ObjectNotFoundException;
import dev.shoal.storage.segment.SegmentRecord;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Claims fresh messages (the records after the frontier) for the receivers of one
 * subscription-partition, coalesced: receivers that ask while a claim is being written join the
 * next one, so one chunk put serves them all. The chunk has one lease; each receiver gets its
 * own run of its messages, with its own receipts, and acks, nacks and visibility changes per
 * message work on a shared chunk as on any other (they split it when they must).
 *
 * <p>Receivers that keep arriving together (a crowded subscription-partition: see {@link
 * Gathering}) wait for each other, up to the queue's batching window, so that one chunk put
 * serves them all instead of one put each.
 *
 * <p>A claim gathers committed segments until the receivers' wants are met or the log's end is
 * reached (one put per segment); it never waits for more. Receivers asking for different
 * visibility timeouts share the batch but not the chunk: each timeout gets a claim of its own.
 */
final class FreshClaims {

    /** Puts tried per claim: small segments need several to fill a large receive; a lost race re-reads the frontier. */
    static final int MAX_CLAIM_ATTEMPTS = 32;
    /** Messages one coalesced claim hands out at most. */
    static final int MAX_BATCH_MESSAGES = 1_000;
    /**
     * A claim never puts a chunk at a frontier known for longer: it reads the head again. A start
     * that was the frontier long ago may belong to a done chunk the table's TTL has deleted since,
     * and a put there would find it free (ADR 0018).
     */
    static final long MAX_HEAD_AGE_MILLIS = 10_000;

    /**
     * One receiver's ask.
     *
     * @param headAt   when {@code head} was read at the earliest (epoch millis)
     * @param newsOnly sent by news of a commit in this process: the claim stops at the log's end as
     *                 this process knows it instead of reading the log to make sure (the other looks,
     *                 first ones and polls, read it and find other processes' commits)
     */
    record Want(SubscriptionRef sub, int partition, ChunkTable.Head head, long headAt, int count, long visibilityMillis,
                boolean newsOnly) {
    }

    private final ChunkTable chunks;
    private final ChunkMemory memory;
    private final LogIndex index;
    private final Deliveries deliveries;
    private final Clock clock;
    /** A want, and whether its subscription-partition was crowded when it came. */
    private record Ask(Want want, boolean crowded) {
    }

    /** Receivers a window from which they are held to share a claim: about 80 receives a second at the default window. */
    static final int CROWD = 8;

    private final Coalescer<Ask, List<ReceivedMessage>> coalescer;
    private final Gathering gathering;

    FreshClaims(ChunkTable chunks, ChunkMemory memory, LogIndex index, Deliveries deliveries, Clock clock, Sleeper sleeper) {
        this.chunks = chunks;
        this.memory = memory;
        this.index = index;
        this.deliveries = deliveries;
        this.clock = clock;
        this.gathering = new Gathering(clock, sleeper, CROWD);
        this.coalescer = new Coalescer<>(this::run, a -> (long) a.want().count(), MAX_BATCH_MESSAGES, this::linger);
    }

    /** Up to {@code want.count()} fresh messages for one receiver, leased for its visibility timeout. */
    List<ReceivedMessage> claim(Want want) {
        if (want.count() <= 0) {
            return List.of();
        }
        String key = want.sub().stateKey(want.partition());
        boolean crowded = gathering.arrive(key, want.sub().queue().settings().batchWindow());
        return coalescer.submit(key, new Ask(want, crowded));
    }

    /** Receivers that keep coming together wait for each other, up to the queue's batching window, to share one claim. */
    private void linger(String key, Ask leader, int previousBatchSize) {
        gathering.linger(leader.crowded(), leader.want().sub().queue().settings().batchWindow(), previousBatchSize,
                () -> coalescer.waiting(key));
    }

    private List<Outcome<List<ReceivedMessage>>> run(List<Ask> asks) {
        List<Want> wants = asks.stream().map(Ask::want).toList();
        Map<Long, List<Integer>> byVisibility = new LinkedHashMap<>();
        for (int i = 0; i < wants.size(); i++) {
            byVisibility.computeIfAbsent(wants.get(i).visibilityMillis(), k -> new ArrayList<>()).add(i);
        }
        List<List<ReceivedMessage>> results = new ArrayList<>();
        wants.forEach(w -> results.add(new ArrayList<>()));
        for (List<Integer> members : byVisibility.values()) {
            int total = members.stream().mapToInt(i -> wants.get(i).count()).sum();
            boolean newsOnly = members.stream().allMatch(i -> wants.get(i).newsOnly());
            Want freshest = freshest(wants, members);
            List<ReceivedMessage> got = claimOnce(freshest, total, newsOnly);
            int next = 0;
            for (int i : members) {
                int take = Math.min(wants.get(i).count(), got.size() - next);
                results.get(i).addAll(got.subList(next, next + take));
                next += take;
            }
        }
        return results.stream().map(Outcome::of).toList();
    }

    /** The want with the newest head. */
    private static Want freshest(List<Want> wants, List<Integer> members) {
        Want best = wants.get(members.getFirst());
        for (int i : members) {
            ChunkTable.Head h = wants.get(i).head();
            ChunkTable.Head b = best.head();
            if (h.cursor().gen() > b.cursor().gen() || (h.cursor().gen() == b.cursor().gen() && h.frontier() > b.frontier())) {
                best = wants.get(i);
            }
        }
        return best;
    }

    private List<ReceivedMessage> claimOnce(Want want, int count, boolean newsOnly) {
        SubscriptionRef sub = want.sub();
        int partition = want.partition();
        String stateKey = sub.stateKey(partition);
        String logKey = sub.queue().partitionKey(partition);
        ChunkTable.Head head = want.head();
        long gen = head.cursor().gen();
        long frontier = memory.frontier(stateKey, head);
        long frontierAt = want.headAt();
        List<ReceivedMessage> out = new ArrayList<>();
        for (int attempt = 0; attempt < MAX_CLAIM_ATTEMPTS && count > 0; attempt++) {
            long now = clock.millis(); // segments committed since the receive began are due now, not "delayed"
            long at = frontier;
            if (newsOnly && index.knownToEndAt(logKey, at)) {
                return out; // the news is claimed: what lies beyond, if anything, is for a look that reads
            }
            Optional<IndexEntry> segment = index.atOrAfter(logKey, at);
            if (segment.isEmpty()) {
                return out;
            }
            IndexEntry entry = segment.get();
            long start = Math.max(frontier, entry.baseOffset()); // a retention gap is skipped
            int take = (int) Math.min(count, entry.endOffset() - start);
            List<SegmentRecord> records;
            try {
                records = deliveries.read(entry, (int) (start - entry.baseOffset()), take);
            } catch (ObjectNotFoundException expired) {
                index.forget(entry); // retention deleted it (its index item first): look again past it
                continue;
            }
            List<Chunk> pieces = FreshChunks.split(gen, start, entry, records, LeaseIds.next(), now, want.visibilityMillis());
            long claimAt = clock.millis();
            if (claimAt - frontierAt > MAX_HEAD_AGE_MILLIS || !chunks.claim(stateKey, pieces, now).landed()) {
                // known for too long, or another receiver won: read where the frontier is now
                ChunkTable.Head fresh = chunks.head(stateKey, sub.startOffset(partition));
                memory.sawHead(stateKey, fresh);
                gen = fresh.cursor().gen();
                frontier = memory.frontier(stateKey, fresh);
                frontierAt = claimAt;
                continue;
            }
            frontierAt = claimAt;
            pieces.forEach(piece -> memory.wrote(stateKey, piece));
            frontier = pieces.getLast().end();
            for (Chunk piece : pieces) {
                if (piece.state() == Chunk.State.LEASED) {
                    int from = (int) (piece.start() - start);
                    List<ReceivedMessage> leased = deliveries.messages(sub, partition, piece, records.subList(from, from + piece.size()));
                    out.addAll(leased);
                    count -= leased.size();
                }
            }
        }
        return out;
    }
}
