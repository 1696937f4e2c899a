package dev.shoal.storage.subscription;

/**
 * What a receipt handle names: one message's delivery under one lease.
 *
 * @param queueId      the queue incarnation
 * @param subscription subscription name
 * @param partition    partition
 * @param gen          subscription generation at delivery
 * @param offset       the message's offset
 * @param lease        the lease id; a newer lease on the message supersedes this receipt
 * @param group        FIFO: the message group (whose gate holds the lease); empty on standard queues
 */
public record Receipt(String queueId, String subscription, int partition, long gen, long offset, String lease, String group) {
}
