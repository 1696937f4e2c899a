package dev.shoal.client;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.shoal.client.testing.CountingMetrics;
import dev.shoal.client.testing.Faults;
import dev.shoal.client.testing.TestStack;
import dev.shoal.functions.api.ApiEvents;
import dev.shoal.functions.api.auth.AccessKeys;
import dev.shoal.functions.api.auth.SigV4Verifier;
import dev.shoal.storage.api.CommitStateUnknownException;
import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.RetryableException;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What only the HTTP transport does: signing, retries of 429/5xx (never 4xx), unknown produce outcomes. */
@ExtendWith(EmbeddedAwsExtension.class)
class HttpTransportBehaviourTest {

    private static final Predicate<APIGatewayV2HTTPEvent> ANY = e -> true;

    /** API Gateway's IAM check, made with the functions module's verifier for service execute-api. */
    private static UnaryOperator<Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> iamAuth(AtomicInteger verified) {
        SigV4Verifier verifier = new SigV4Verifier(AccessKeys.LOCAL_DEFAULT, "us-east-1", "execute-api", Clock.systemUTC());
        return real -> event -> {
            try {
                verifier.verify(ApiEvents.toRequest(event), "http");
            } catch (SigV4Verifier.RejectedException e) {
                return Faults.error(e.failure().status(), e.failure().code());
            }
            verified.incrementAndGet();
            return real.apply(event);
        };
    }

    @Test
    void everyRequestIsSignedWithSigV4ForExecuteApi(AwsFixture aws) {
        AtomicInteger verified = new AtomicInteger();
        try (TestStack stack = TestStack.start(TestStack.engine(aws), TestStack.Kind.HTTP, iamAuth(verified));
             ShoalClient client = stack.client()) {
            client.createQueue("orders");
            client.produce("orders", List.of(NewMessage.of("a")));
            client.listQueues("ord");
            client.ack(AckMessagesRequest.of("orders", "default", List.of(
                    client.receive(ReceiveMessagesRequest.builder().queue("orders").build()).getFirst().receipt())));

            assertEquals(5, verified.get()); // a create-only put, produce, list with a query, receive, ack
        }
    }

    @Test
    void wrongCredentialsAreRefusedAndNotRetried(AwsFixture aws) {
        AtomicInteger verified = new AtomicInteger();
        try (TestStack stack = TestStack.start(TestStack.engine(aws), TestStack.Kind.HTTP, iamAuth(verified));
             ShoalClient client = stack.builder().credentialsProvider(StaticCredentialsProvider.create(
                     AwsBasicCredentials.create("test", "not-the-secret"))).build()) {

            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> client.listQueues());

            assertEquals(403, assertInstanceOf(RemoteError.class, e).httpStatus());
            assertEquals("SignatureDoesNotMatch", e.code());
            assertTrue(e.getMessage().contains("execute-api:Invoke"), e.getMessage());
        }
    }

    @Test
    void throttlingAndServerErrorsAreRetriedUntilTheCallSucceeds(AwsFixture aws) {
        Faults.Counter calls = new Faults.Counter();
        CountingMetrics metrics = new CountingMetrics();
        try (TestStack stack = TestStack.start(TestStack.engine(aws), TestStack.Kind.HTTP,
                Faults.refuse(ANY, 2, 429, "TooManyRequests", calls));
             ShoalClient client = stack.builder().metrics(metrics).build()) {

            assertEquals(List.of(), client.listQueues());

            assertEquals(3, calls.calls());
            assertEquals(2, metrics.count("retried:listQueues"));
        }
    }

    @Test
    void retriesStopAfterMaxAttemptsWithTheLastError(AwsFixture aws) {
        Faults.Counter calls = new Faults.Counter();
        try (TestStack stack = TestStack.start(TestStack.engine(aws), TestStack.Kind.HTTP,
                Faults.refuse(ANY, Integer.MAX_VALUE, 503, "ServiceUnavailable", calls));
             ShoalClient client = stack.client()) {

            RetryableException e = assertThrows(RetryableException.class, () -> client.listQueues());

            assertEquals("ServiceUnavailable", e.code());
            assertEquals(TestStack.FAST_RETRIES.maxAttempts(), calls.calls());
        }
    }

    @Test
    void clientErrorsAreNeverRetried(AwsFixture aws) {
        Faults.Counter produces = new Faults.Counter();
        try (TestStack stack = TestStack.start(TestStack.engine(aws), TestStack.Kind.HTTP,
                Faults.refuse(Faults.PRODUCE, 0, 0, null, produces));
             ShoalClient client = stack.client()) {
            client.createQueue("orders.fifo");

            assertThrows(InvalidRequestException.class, () -> client.produce("orders.fifo", List.of(NewMessage.of("no group"))));

            assertEquals(1, produces.calls());
        }
    }

    @Test
    void aProduceWhoseAnswerIsLostIsRetriedOnlyWhenIdempotent(AwsFixture aws) {
        Faults.Counter produces = new Faults.Counter();
        try (TestStack stack = TestStack.start(TestStack.engine(aws), TestStack.Kind.HTTP,
                Faults.loseAnswer(Faults.PRODUCE, 2, 502, produces));
             ShoalClient client = stack.client()) {
            client.createQueue("orders");

            CommitStateUnknownException unknown = assertThrows(CommitStateUnknownException.class,
                    () -> client.produce("orders", List.of(NewMessage.of("plain"))));
            assertEquals(1, produces.calls());
            assertTrue(unknown.getMessage().contains("may or may not"), unknown.getMessage());

            client.produce(ProduceMessagesRequest.builder().queue("orders").message(NewMessage.of("sequenced"))
                    .partition(0).producerId("p1").sequence(0).build());
            assertEquals(3, produces.calls()); // lost once more, then answered: the original id, written once

            assertEquals(2, client.stats("orders", "default").visible()); // "plain" was written; "sequenced" once
        }
    }
}
