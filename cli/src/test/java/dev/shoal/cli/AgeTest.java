package dev.shoal.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The oldest-message age as the tables print it. */
class AgeTest {

    private static String age(String apiText) {
        return QueueCommands.age(apiText == null ? ApiClient.object() : ApiClient.object().put("oldestUnackedAge", apiText));
    }

    @Test
    void theApisDurationsAreWrittenForPeople() {
        assertEquals("-", age(null));
        assertEquals("250ms", age("250ms"));
        assertEquals("41.0s", age("41s"));
        assertEquals("3m40s", age("220408ms"));
        assertEquals("2h0m", age("2h"));
        assertEquals("1d12h", age("36h"));
        assertEquals("PT5S", age("PT5S"), "a shape it does not know is shown as it came");
    }
}
