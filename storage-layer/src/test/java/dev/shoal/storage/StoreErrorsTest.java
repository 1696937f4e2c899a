package dev.shoal.storage;

import dev.shoal.storage.StoreErrors.Kind;
import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.RetryableException;
import dev.shoal.storage.api.ShoalException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreErrorsTest {

    @Test
    void throttlingOfEitherStoreIsThrottlingAndBecomesServiceUnavailable() {
        var dynamo = ProvisionedThroughputExceededException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").build()).build();
        var s3 = S3Exception.builder().statusCode(503).awsErrorDetails(AwsErrorDetails.builder().errorCode("SlowDown").build()).build();
        assertEquals(Kind.THROTTLED, StoreErrors.classify(dynamo));
        assertEquals(Kind.THROTTLED, StoreErrors.classify(s3));
        RuntimeException translated = StoreErrors.translate(dynamo, "the ack");
        assertInstanceOf(RetryableException.class, translated);
        assertEquals("ServiceUnavailable", ((ShoalException) translated).code());
        assertTrue(translated.getMessage().contains("throttling the ack"), translated.getMessage());
    }

    @Test
    void serverErrorsAndTimeoutsMayHaveAppliedThrottlesAndConditionsHaveNot() {
        assertTrue(StoreErrors.mayHaveApplied(status(500, "InternalServerError")));
        assertTrue(StoreErrors.mayHaveApplied(ApiCallTimeoutException.create(1000)));
        assertTrue(StoreErrors.mayHaveApplied(SdkClientException.create("connection reset")));
        assertFalse(StoreErrors.mayHaveApplied(status(400, "ThrottlingException")));
        assertFalse(StoreErrors.mayHaveApplied(ConditionalCheckFailedException.builder().message("no").build()));
    }

    @Test
    void aThrottleAfterAnEarlierAttemptTimedOutMayHaveApplied() {
        var throttle = status(400, "ThrottlingException");
        throttle.addSuppressed(SdkClientException.create("Request attempt 1 failure: read timed out"));
        assertTrue(StoreErrors.mayHaveApplied(throttle));
    }

    @Test
    void aCancelledTransactionIsALostRaceOnlyWhenAConditionFailedOrAnotherTransactionInterfered() {
        assertEquals(Kind.CONDITION_FAILED, StoreErrors.classify(cancelled("None", "ConditionalCheckFailed")));
        assertEquals(Kind.TRANSACTION_CONFLICT, StoreErrors.classify(cancelled("None", "TransactionConflict")));
        assertEquals(Kind.THROTTLED, StoreErrors.classify(cancelled("ThrottlingError", "None")));
        assertEquals(Kind.THROTTLED, StoreErrors.classify(cancelled("None", "ProvisionedThroughputExceeded")));
        assertEquals(Kind.OTHER, StoreErrors.classify(cancelled("ValidationError", "None")));
    }

    @Test
    void shoalErrorsPassThroughAndRequestsTheStoreRejectsStayAsTheyAre() {
        var mine = new InvalidRequestException("body", "too long");
        assertSame(mine, StoreErrors.translate(mine, "x"));
        var validation = status(400, "ValidationException");
        assertSame(validation, StoreErrors.translate(validation, "x"));
    }

    @Test
    void theMessageOfATranslatedErrorIsBoundedEvenWhenTheStoresIsNot() {
        var huge = status(500, "InternalServerError", "x".repeat(100_000));
        assertTrue(StoreErrors.translate(huge, "the commit").getMessage().length() < 500);
    }

    private static DynamoDbException status(int status, String code) {
        return status(status, code, "injected");
    }

    private static DynamoDbException status(int status, String code, String message) {
        return (DynamoDbException) DynamoDbException.builder().statusCode(status).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    private static TransactionCanceledException cancelled(String... codes) {
        return TransactionCanceledException.builder().message("cancelled").statusCode(400)
                .cancellationReasons(java.util.Arrays.stream(codes).map(c -> CancellationReason.builder().code(c).build()).toList())
                .build();
    }
}
