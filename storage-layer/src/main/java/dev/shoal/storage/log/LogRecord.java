package dev.shoal.storage.log;

import dev.shoal.storage.api.MessageId;
import dev.shoal.storage.segment.SegmentRecord;

/** A record read from the log, with the id its commit gave it. */
public record LogRecord(MessageId id, SegmentRecord record) {
}
