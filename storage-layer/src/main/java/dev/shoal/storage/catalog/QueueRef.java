package dev.shoal.storage.catalog;

import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.dynamodb.LogItems;

import java.time.Instant;

/**
 * A queue as the engine addresses it: its name, and the id of this incarnation of the name.
 * Everything stored for a queue is keyed by the id, so a queue deleted and created again
 * under the same name starts empty while the janitor removes the old one's data.
 */
public record QueueRef(String name, String id, QueueSettings settings, Instant createdAt) {

    /** The log table partition key of one partition. */
    public String partitionKey(int partition) {
        return LogItems.partitionKey(id, partition);
    }

    /** The S3 key prefix of one partition's segments. */
    public String segmentPrefix(int partition) {
        return "segments/" + id + "/" + partition + "/";
    }

    public int partitions() {
        return settings.partitions();
    }

    public boolean fifo() {
        return settings.fifo();
    }
}
