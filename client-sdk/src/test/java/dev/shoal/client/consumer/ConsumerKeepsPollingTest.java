package dev.shoal.client.consumer;

import dev.shoal.client.ReceiveMessagesRequest;
import dev.shoal.client.ShoalClient;
import dev.shoal.client.testing.TestStack;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A consumer stops only when its client is closed, not on one odd failure of a receive. */
@ExtendWith(EmbeddedAwsExtension.class)
class ConsumerKeepsPollingTest {

    @Test
    void aReceiveFailingWithAnIllegalStateDoesNotStopTheConsumerForGood(AwsFixture aws) {
        try (TestStack stack = TestStack.start(aws, TestStack.Kind.DIRECT); ShoalClient real = stack.builder().build()) {
            real.createQueue("steady");
            real.produce("steady", List.of(NewMessage.of("a"), NewMessage.of("b")));
            AtomicInteger failuresLeft = new AtomicInteger(2);
            ShoalClient flaky = failingReceives(real, failuresLeft);
            Set<String> handled = ConcurrentHashMap.newKeySet();

            try (ShoalConsumer consumer = ShoalConsumer.builder(flaky, "steady", m -> handled.add(m.bodyAsString()))
                    .waitTime(Duration.ofSeconds(1)).build().start()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 2);
            }

            assertEquals(Set.of("a", "b"), handled);
            assertTrue(failuresLeft.get() < 0, "both failing receives happened, and the consumer polled on");
        }
    }

    /** The real client, except that the first receives throw IllegalStateException (as a bug or an odd answer would). */
    private static ShoalClient failingReceives(ShoalClient real, AtomicInteger failuresLeft) {
        return (ShoalClient) Proxy.newProxyInstance(ShoalClient.class.getClassLoader(), new Class<?>[] {ShoalClient.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("receive") && args != null && args.length == 1
                            && args[0] instanceof ReceiveMessagesRequest && failuresLeft.getAndDecrement() > 0) {
                        throw new IllegalStateException("injected: an answer this client cannot read");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
