package dev.shoal.client.producer.internal;

import dev.shoal.client.producer.ProducerClosedException;
import dev.shoal.storage.api.NewMessage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batching decisions as pure functions of the clock: no threads, no waiting. */
class RecordAccumulatorTest {

    private static final BatchKey ORDERS_0 = new BatchKey("orders", 0);
    private static final BatchKey ORDERS_1 = new BatchKey("orders", 1);

    private final RecordAccumulator accumulator = new RecordAccumulator(100, 3, 1_000);

    private static PendingMessage message(long bytes, long now) {
        return new PendingMessage(NewMessage.of("x"), bytes, now, new CompletableFuture<>());
    }

    @Test
    void aBatchIsHeldUntilItHasLingeredThenSentWhole() {
        accumulator.append(ORDERS_0, message(10, 1_000), 1_000);
        accumulator.append(ORDERS_0, message(10, 1_050), 1_050);

        assertEquals(List.of(), accumulator.drain(1_099));
        assertEquals(1, accumulator.nextReadyDelay(1_099));
        List<ProducerBatch> drained = accumulator.drain(1_100);

        assertEquals(1, drained.size());
        assertEquals(2, drained.getFirst().size());
    }

    @Test
    void aBatchFullByCountIsReadyAtOnceAndTheNextMessageOpensAnother() {
        for (int i = 0; i < 3; i++) {
            accumulator.append(ORDERS_0, message(10, 0), 0);
        }
        RecordAccumulator.AppendResult fourth = accumulator.append(ORDERS_0, message(10, 0), 0);

        assertTrue(fourth.newBatch());
        List<ProducerBatch> drained = accumulator.drain(0);
        assertEquals(1, drained.size());
        assertEquals(3, drained.getFirst().size());
    }

    @Test
    void aBatchFullByBytesIsReadyAtOnceAndALargeMessageGoesAlone() {
        accumulator.append(ORDERS_0, message(600, 0), 0);
        RecordAccumulator.AppendResult large = accumulator.append(ORDERS_0, message(5_000, 0), 0);

        assertTrue(large.newBatch());
        assertTrue(large.batchFull());
        assertEquals(1, accumulator.drain(0).getFirst().size()); // the first, because a newer batch exists
    }

    @Test
    void oneBatchPerKeyIsInFlightAndTheNextLeavesWhenItCompletes() {
        for (int i = 0; i < 6; i++) {
            accumulator.append(ORDERS_0, message(10, 0), 0);
        }
        accumulator.append(ORDERS_1, message(10, 0), 0);

        List<ProducerBatch> first = accumulator.drain(500);
        assertEquals(List.of(ORDERS_0, ORDERS_1), first.stream().map(ProducerBatch::key).toList());
        assertEquals(List.of(), accumulator.drain(500));

        accumulator.completed(first.getFirst());
        List<ProducerBatch> second = accumulator.drain(500);
        assertEquals(1, second.size());
        assertEquals(ORDERS_0, second.getFirst().key());
    }

    @Test
    void flushAndCloseMakeEveryBatchReadyWhateverItsLinger() {
        accumulator.append(ORDERS_0, message(10, 0), 0);
        accumulator.beginFlush();
        assertEquals(1, accumulator.drain(0).size());
        accumulator.endFlush();

        accumulator.append(ORDERS_1, message(10, 0), 0);
        accumulator.close();
        assertEquals(1, accumulator.drain(0).size());
        assertThrows(ProducerClosedException.class, () -> accumulator.append(ORDERS_1, message(10, 0), 0));
    }

    @Test
    void waitingBatchesExpireAfterTheDeliveryTimeoutOfTheirOldestMessage() {
        accumulator.append(ORDERS_0, message(10, 0), 0);
        accumulator.append(ORDERS_1, message(10, 400), 400);

        assertEquals(List.of(), accumulator.expire(999, 1_000));
        List<ProducerBatch> expired = accumulator.expire(1_000, 1_000);

        assertEquals(List.of(ORDERS_0), expired.stream().map(ProducerBatch::key).toList());
        assertFalse(accumulator.idle()); // expired batches stay incomplete until the sender finishes them
    }
}
