package dev.shoal.it;

import dev.shoal.storage.testing.AwsFixture;
import io.awspring.cloud.sqs.operations.SendResult;
import io.awspring.cloud.sqs.operations.SqsTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spring Cloud AWS's SqsTemplate over Shoal. It maps every received message's MessageId to a
 * UUID header, which failed on every receive while Shoal's ids were {@code <partition>-<offset>}.
 */
@EndToEnd
class SqsSpringTemplateTest {

    @Test
    void sqsTemplateSendsAndReceivesWithUuidIdsAndAcknowledges(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws);
             SqsAsyncClient async = SqsAsyncClient.builder().endpointOverride(shoal.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build()) {
            async.createQueue(b -> b.queueName("spring-orders")).join();
            SqsTemplate template = SqsTemplate.newTemplate(async);
            SendResult<String> sent = template.send(to -> to.queue("spring-orders").payload("order 7").header("tenant", "acme"));
            UUID id = sent.messageId();

            Optional<Message<String>> got = template.receive(from -> from.queue("spring-orders").pollTimeout(Duration.ofSeconds(5)), String.class);
            assertTrue(got.isPresent());
            assertEquals("order 7", got.get().getPayload());
            assertEquals(id, got.get().getHeaders().getId());
            assertEquals("acme", got.get().getHeaders().get("tenant"));
            assertTrue(template.receive(from -> from.queue("spring-orders").pollTimeout(Duration.ofSeconds(1)), String.class).isEmpty(),
                    "the template acknowledges (deletes) what it received");
        }
    }
}
