package dev.shoal.storage.subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Cuts a chunk so that some of its messages can be treated apart (a nack, a visibility change
 * of one message): the result is the chunk's range cut into runs of neighbouring offsets that
 * share a schedule. Acked offsets join whichever run they sit in, so they never force a cut.
 */
final class Splitter {

    /** The new state and visibility time of a message, and a correction of its receive count (-1: the delivery did not count). */
    record Schedule(Chunk.State state, long due, int receiveCountDelta) {
        Schedule(Chunk.State state, long due) {
            this(state, due, 0);
        }
    }

    private Splitter() {
    }

    /** Pieces covering the chunk: offsets in {@code changes} get their schedule, the others keep the chunk's. */
    static List<Chunk> split(Chunk chunk, Map<Long, Schedule> changes) {
        List<Chunk> pieces = new ArrayList<>();
        long runStart = chunk.start();
        Schedule runSchedule = null;
        boolean runHasSchedule = false;
        for (long o = chunk.start(); o < chunk.end(); o++) {
            if (chunk.isAcked(o)) continue;
            Schedule s = changes.get(o);
            if (!runHasSchedule) {
                runSchedule = s;
                runHasSchedule = true;
            } else if (!Objects.equals(s, runSchedule)) {
                pieces.add(piece(chunk, runStart, o, runSchedule));
                runStart = o;
                runSchedule = s;
            }
        }
        pieces.add(piece(chunk, runStart, chunk.end(), runSchedule));
        return pieces;
    }

    private static Chunk piece(Chunk chunk, long from, long to, Schedule schedule) {
        Chunk slice = chunk.slice(from, to);
        return schedule == null ? slice
                : slice.rescheduled(schedule.state(), schedule.due()).withReceiveCount(Math.max(0, slice.receiveCount() + schedule.receiveCountDelta()));
    }
}
