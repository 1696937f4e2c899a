package dev.shoal.it;

import com.amazon.sqs.javamessaging.ProviderConfiguration;
import com.amazon.sqs.javamessaging.SQSConnection;
import com.amazon.sqs.javamessaging.SQSConnectionFactory;
import dev.shoal.storage.testing.AwsFixture;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Amazon SQS Java Messaging Library (JMS 3, jakarta.jms) over Shoal: produce, consume, acknowledge. */
@EndToEnd
class SqsJmsTest {

    @Test
    void jmsProducerAndConsumerExchangeTextMessagesWithProperties(AwsFixture aws) throws Exception {
        // the library long-polls for 20 s and closing waits for the poll: a short call timeout keeps the test fast
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = SqsClient.builder()
                .endpointOverride(shoal.endpoint()).region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.apiCallTimeout(java.time.Duration.ofSeconds(3))).build()) {
            sqs.createQueue(b -> b.queueName("jms-orders"));
            SQSConnectionFactory factory = new SQSConnectionFactory(new ProviderConfiguration(), sqs);
            try (SQSConnection connection = factory.createConnection()) {
                Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                Queue queue = session.createQueue("jms-orders");
                MessageProducer producer = session.createProducer(queue);
                TextMessage out = session.createTextMessage("order 42");
                out.setStringProperty("region", "eu");
                out.setIntProperty("priority", 7);
                producer.send(out);
                assertTrue(out.getJMSMessageID().startsWith("ID:"));
                UUID.fromString(out.getJMSMessageID().substring(3));

                MessageConsumer consumer = session.createConsumer(queue);
                connection.start();
                TextMessage in = (TextMessage) consumer.receive(10_000);
                assertEquals("order 42", in.getText());
                assertEquals("eu", in.getStringProperty("region"));
                assertEquals(7, in.getIntProperty("priority"));
                assertEquals(out.getJMSMessageID(), in.getJMSMessageID());
                in.acknowledge();
                assertNull(consumer.receive(1_500), "an acknowledged message is deleted");
            }
        }
    }
}
