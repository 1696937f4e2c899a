package dev.shoal.it;

import dev.shoal.storage.testing.AwsFixture;
import io.awspring.cloud.sqs.listener.SqsMessageListenerContainer;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Spring Cloud AWS's listener container (what {@code @SqsListener} runs on) over Shoal: it polls,
 * hands each message to the listener with its UUID id, and deletes it when the listener returns.
 */
@EndToEnd
class SqsSpringListenerTest {

    @Test
    void listenerContainerReceivesEveryMessageOnceAndDeletesIt(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws);
             SqsAsyncClient async = SqsAsyncClient.builder().endpointOverride(shoal.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build()) {
            String url = async.createQueue(b -> b.queueName("spring-listened")).join().queueUrl();
            List<String> bodies = new CopyOnWriteArrayList<>();
            List<UUID> ids = new CopyOnWriteArrayList<>();
            SqsMessageListenerContainer<Object> container = SqsMessageListenerContainer.builder()
                    .sqsAsyncClient(async)
                    .queueNames("spring-listened")
                    .configure(o -> o.pollTimeout(Duration.ofSeconds(1)).maxDelayBetweenPolls(Duration.ofSeconds(1)))
                    .messageListener((Message<Object> m) -> {
                        bodies.add(String.valueOf(m.getPayload()));
                        ids.add(m.getHeaders().getId());
                    })
                    .build();
            container.start();
            try {
                for (int i = 0; i < 3; i++) {
                    int n = i;
                    async.sendMessage(b -> b.queueUrl(url).messageBody("event " + n)).join();
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> bodies.size() >= 3);
                await().atMost(Duration.ofSeconds(20)).until(() -> async.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                        .join().attributes().values().stream().allMatch("0"::equals));
            } finally {
                container.stop();
            }
            assertEquals(List.of("event 0", "event 1", "event 2"), bodies.stream().sorted().toList());
            assertEquals(3, ids.stream().distinct().count());
        }
    }
}
