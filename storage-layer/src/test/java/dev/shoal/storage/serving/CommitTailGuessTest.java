package dev.shoal.storage.serving;

import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.log.IndexEntry;
import dev.shoal.storage.log.PartitionLog;
import dev.shoal.storage.segment.SegmentRecord;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.Engines;
import dev.shoal.storage.testing.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A process that is the only writer of a partition commits where its own last commit ended,
 * without reading the tail first; once another process is seen writing there, it reads.
 */
@ExtendWith(EmbeddedAwsExtension.class)
class CommitTailGuessTest {

    private final ManualClock clock = new ManualClock();

    private List<SegmentRecord> records(int n) {
        return IntStream.range(0, n).mapToObj(i -> new SegmentRecord(clock.millis(), clock.millis(), null, null, Map.of(),
                ("m" + i).getBytes(StandardCharsets.UTF_8))).toList();
    }

    @Test
    void aLoneWritersNextCommitReadsNoTailAndAnotherWriterIsNeverOverwritten(AwsFixture aws) {
        QueueRef queue = Engines.queue(aws, "guess", QueueSettings.builder().build());
        Hold queries = Hold.queriesOf(aws.tables().logTable());
        queries.release();
        PartitionLog mine = Engines.log(aws, aws.dynamoClient(queries), aws.s3(), clock, 0);
        PartitionLog other = Engines.log(aws, clock);

        assertEquals(0, mine.append(queue, 0, records(2)).baseOffset());
        int before = queries.count();
        assertEquals(2, mine.append(queue, 0, records(3)).baseOffset());
        assertEquals(before, queries.count(), "the second commit put at its own last end without reading the tail");

        IndexEntry theirs = other.append(queue, 0, records(4));
        assertEquals(5, theirs.baseOffset());
        IndexEntry next = mine.append(queue, 0, records(1));
        assertEquals(9, next.baseOffset(), "the stale guess lost the conditional put, and the commit went after the other's");
        assertEquals(theirs.segmentKey(), other.index().at(theirs.partitionKey(), 5).orElseThrow().segmentKey(),
                "the other process's entry is untouched");
        before = queries.count();
        mine.append(queue, 0, records(1));
        assertEquals(before + 1, queries.count(), "with another writer seen, each commit reads the tail");
    }
}
