package dev.shoal.client.producer.internal;

/** Where a batch goes: one queue's one partition. Batches of one key are delivered one at a time, in order. */
public record BatchKey(String queue, int partition) {
}
