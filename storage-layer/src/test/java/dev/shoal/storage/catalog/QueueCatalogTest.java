package dev.shoal.storage.catalog;

import dev.shoal.storage.*;
import dev.shoal.storage.api.*;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/** Queue catalog: create, describe, list, delete, with validated names and settings. */
@ExtendWith(EmbeddedAwsExtension.class)
class QueueCatalogTest {

    private final ManualClock clock = new ManualClock();

    private static InvalidRequestException rejected(String field, Supplier<?> call) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, call::get);
        assertEquals(field, e.field(), e.getMessage());
        return e;
    }

    @Test
    void invalidQueueNamesAreRejectedNamingTheRule(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        QueueSettings standard = QueueSettings.builder().build();
        assertTrue(rejected("name", () -> shoal.createQueue("has space", standard)).getMessage().contains("1-80 characters"));
        rejected("name", () -> shoal.createQueue("x".repeat(81), standard));
        rejected("name", () -> shoal.createQueue("", standard));
        assertTrue(rejected("name", () -> shoal.createQueue("orders", QueueSettings.builder().fifo(true).build()))
                .getMessage().contains(".fifo"));
        rejected("name", () -> shoal.createQueue("orders.fifo", standard));
        assertEquals(List.of(), shoal.listQueues(""), "nothing was written");
    }

    @Test
    void outOfRangeSettingsAreRejectedNamingTheFieldAndTheAllowedRange(AwsFixture aws) {
        assertTrue(rejected("partitions", () -> QueueSettings.builder().partitions(0).build()).getMessage().contains("between 1 and 256"));
        assertTrue(rejected("retention", () -> QueueSettings.builder().retention(Duration.ofSeconds(5)).build()).getMessage().contains("1m"));
        rejected("deliveryDelay", () -> QueueSettings.builder().deliveryDelay(Duration.ofMinutes(16)).build());
        rejected("maxMessageBytes", () -> QueueSettings.builder().maxMessageBytes(65L * 1024 * 1024).build());
        rejected("contentBasedDeduplication", () -> QueueSettings.builder().contentBasedDeduplication(true).build());
        assertTrue(rejected("visibilityTimeout", () -> SubscriptionSettings.builder().visibilityTimeout(Duration.ofHours(13)).build())
                .getMessage().contains("between 0s and 12h, was 13h"));
        rejected("retryPolicy.multiplier", () -> new RetryPolicy(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(2)));
        rejected("retryPolicy.maxDelay", () -> new RetryPolicy(Duration.ofSeconds(10), 2, Duration.ofSeconds(2)));
        rejected("deadLetter.maxReceiveCount", () -> new DeadLetterPolicy("dlq", 0));
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        rejected("deadLetter.queue", () -> shoal.createQueue("q", QueueSettings.builder()
                .defaultSubscription(SubscriptionSettings.builder().deadLetter(new DeadLetterPolicy("missing", 3)).build()).build()));
        assertEquals(List.of(), shoal.listQueues(""));
    }

    @Test
    void queuesAreCreatedDescribedListedAndDeleted(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        QueueSettings settings = QueueSettings.builder().partitions(3).retention(Duration.ofDays(7)).build();
        QueueDescription created = shoal.createQueue("orders", settings);
        assertEquals(settings, created.settings());
        assertEquals(clock.instant(), created.createdAt());
        assertEquals(settings, shoal.createQueue("orders", settings).settings(), "creating again with the same settings is a no-op");
        assertEquals("QueueAlreadyExists", assertThrows(ConflictException.class,
                () -> shoal.createQueue("orders", QueueSettings.builder().build())).code());
        shoal.createQueue("other", QueueSettings.builder().build());

        assertEquals(List.of("orders", "other"), shoal.listQueues(""));
        assertEquals(List.of("other"), shoal.listQueues("ot"));
        assertEquals(3, shoal.describeQueue("orders").settings().partitions());

        assertEquals(5, shoal.updateQueue("orders", settings.toBuilder().partitions(5).build()).settings().partitions());
        rejected("partitions", () -> shoal.updateQueue("orders", settings.toBuilder().partitions(2).build()));

        shoal.deleteQueue("orders");
        assertEquals("QueueNotFound", assertThrows(NotFoundException.class, () -> shoal.describeQueue("orders")).code());
        assertEquals(List.of("other"), shoal.listQueues(""));
    }
}
