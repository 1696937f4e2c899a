package dev.shoal.storage.dynamodb;

import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.PushTarget.EventFormat;
import dev.shoal.storage.api.PushTarget;
import dev.shoal.storage.api.SubscriptionSettings;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A push target's event format and response handling, as the catalog stores them. */
class PushSettingsCodecTest {

    private static final String URL = "http://127.0.0.1:9000/events";
    private static final TableSchema<SubscriptionSettings> SETTINGS = CatalogSchemas.SUBSCRIPTION_SETTINGS;

    @Test
    void aNewPushTargetGetsSqsEventsAndReportsBatchItemFailures() {
        PushTarget t = PushTarget.of(URL);

        assertEquals(EventFormat.SQS, t.eventFormat());
        assertTrue(t.reportBatchItemFailures());
    }

    @Test
    void theEventFormatAndResponseHandlingSurviveTheCatalog() {
        PushTarget shoal = PushTarget.of(URL).withEventFormat(EventFormat.SHOAL);
        PushTarget ignoring = new PushTarget(URL, 25, Duration.ofSeconds(3), 4, Duration.ofMinutes(2)).withReportBatchItemFailures(false);

        for (PushTarget t : new PushTarget[]{shoal, ignoring}) {
            SubscriptionSettings s = SubscriptionSettings.builder().push(t).build();
            assertEquals(s, SETTINGS.mapToItem(SETTINGS.itemToMap(s, true)));
        }
    }

    @Test
    void aSubscriptionStoredBeforeEventFormatsKeepsShoalsEvent() {
        Map<String, AttributeValue> item = new HashMap<>(SETTINGS.itemToMap(
                SubscriptionSettings.builder().push(PushTarget.of(URL)).build(), true));
        item.remove("pushFormat");
        item.remove("pushReportFailures");

        PushTarget read = SETTINGS.mapToItem(item).push();

        assertEquals(EventFormat.SHOAL, read.eventFormat(), "its target was written for the shoal event");
        assertTrue(read.reportBatchItemFailures());
    }

    @Test
    void anUnknownEventFormatIsRejectedNamingTheFormatsThereAre() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> EventFormat.parse("push.eventFormat", "kafka"));

        assertEquals("push.eventFormat", e.field());
        assertTrue(e.getMessage().contains("'sqs'") && e.getMessage().contains("'shoal'") && e.getMessage().contains("kafka"), e.getMessage());
        assertFalse(EventFormat.parse("f", "shoal") == EventFormat.SQS);
    }
}
