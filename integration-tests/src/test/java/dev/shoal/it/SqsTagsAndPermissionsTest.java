package dev.shoal.it;

import dev.shoal.storage.testing.AwsFixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.util.List;
import java.util.Map;

import static dev.shoal.it.SqsCompatibilityTest.client;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tags, permissions and dead-letter sources, through the v2 SqsClient. */
@EndToEnd
class SqsTagsAndPermissionsTest {

    @Test
    void tagsGivenAtCreationAndLaterAreListedAndRemoved(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("tagged").tags(Map.of("team", "payments"))).queueUrl();
            sqs.tagQueue(b -> b.queueUrl(url).tags(Map.of("env", "dev", "team", "billing")));
            assertEquals(Map.of("team", "billing", "env", "dev"), sqs.listQueueTags(b -> b.queueUrl(url)).tags());
            sqs.untagQueue(b -> b.queueUrl(url).tagKeys("team"));
            assertEquals(Map.of("env", "dev"), sqs.listQueueTags(b -> b.queueUrl(url)).tags());
            sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "7")));
            assertEquals(Map.of("env", "dev"), sqs.listQueueTags(b -> b.queueUrl(url)).tags(), "attributes leave tags alone");
            sqs.untagQueue(b -> b.queueUrl(url).tagKeys("env"));
            assertTrue(sqs.listQueueTags(b -> b.queueUrl(url)).tags().isEmpty());
        }
    }

    @Test
    void permissionsAreStatementsOfThePolicy(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("shared")).queueUrl();
            sqs.addPermission(b -> b.queueUrl(url).label("partners").awsAccountIds("111122223333").actions("SendMessage"));
            String policy = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.POLICY)).attributes()
                    .get(QueueAttributeName.POLICY);
            assertTrue(policy.contains("\"Sid\":\"partners\"") && policy.contains("arn:aws:iam::111122223333:root")
                    && policy.contains("SQS:SendMessage"), policy);
            SqsException twice = assertThrows(SqsException.class, () -> sqs.addPermission(b -> b.queueUrl(url).label("partners")
                    .awsAccountIds("111122223333").actions("SendMessage")));
            assertEquals("InvalidParameterValue", twice.awsErrorDetails().errorCode());
            sqs.removePermission(b -> b.queueUrl(url).label("partners"));
            assertNull(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.POLICY)).attributes()
                    .get(QueueAttributeName.POLICY));
            assertThrows(SqsException.class, () -> sqs.removePermission(b -> b.queueUrl(url).label("partners")));
        }
    }

    @Test
    void deadLetterSourceQueuesAreTheQueuesThatRedriveToIt(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String dlq = sqs.createQueue(b -> b.queueName("sink")).queueUrl();
            String arn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes()
                    .get(QueueAttributeName.QUEUE_ARN);
            String redrive = "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":2}";
            String a = sqs.createQueue(b -> b.queueName("source-a").attributesWithStrings(Map.of("RedrivePolicy", redrive))).queueUrl();
            String c = sqs.createQueue(b -> b.queueName("source-c").attributesWithStrings(Map.of("RedrivePolicy", redrive))).queueUrl();
            sqs.createQueue(b -> b.queueName("unrelated"));
            assertEquals(List.of(a, c), sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlq)).queueUrls());
            var page = sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlq).maxResults(1));
            assertEquals(List.of(a), page.queueUrls());
            assertEquals(List.of(c), sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlq).maxResults(1).nextToken(page.nextToken())).queueUrls());
            assertEquals(List.of(), sqs.listDeadLetterSourceQueues(b -> b.queueUrl(a)).queueUrls(), "no queue dead-letters into a source");
        }
    }
}
