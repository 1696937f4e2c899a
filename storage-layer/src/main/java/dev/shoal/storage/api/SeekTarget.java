package dev.shoal.storage.api;

import java.time.Instant;
import java.util.Map;

/** Where {@link QueueService#seek} moves a subscription. */
public sealed interface SeekTarget {

    /** The oldest message still retained. */
    record Earliest() implements SeekTarget { }

    /** After the newest message: everything before counts as acked (what purge does). */
    record Latest() implements SeekTarget { }

    /** The first message produced at or after {@code time}, in every partition. */
    record AtTime(Instant time) implements SeekTarget { }

    /** Explicit offsets per partition; partitions not named are not moved. */
    record AtOffsets(Map<Integer, Long> offsets) implements SeekTarget {
        public AtOffsets {
            offsets = Map.copyOf(offsets);
            offsets.forEach((p, o) -> {
                if (p < 0 || o < 0) throw new InvalidRequestException("offsets", "partitions and offsets must not be negative");
            });
        }
    }

    static SeekTarget earliest() { return new Earliest(); }
    static SeekTarget latest() { return new Latest(); }
    static SeekTarget time(Instant time) { return new AtTime(time); }
    static SeekTarget offsets(Map<Integer, Long> offsets) { return new AtOffsets(offsets); }
}
