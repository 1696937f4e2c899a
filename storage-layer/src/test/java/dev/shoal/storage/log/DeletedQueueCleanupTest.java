package dev.shoal.storage.log;

import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.RetryableException;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.S3Error;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The segments of a deleted queue are deleted for good, even when S3 fails to delete some of them once. */
@ExtendWith(EmbeddedAwsExtension.class)
class DeletedQueueCleanupTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void segmentsS3FailedToDeleteAreDeletedOnTheNextPass(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.s3Segments(aws, clock);
        shoal.createQueue("doomed", QueueSettings.builder().partitions(1).build());
        for (int i = 0; i < 3; i++) shoal.produce("doomed", List.of(NewMessage.builder().body("m" + i).build()));
        shoal.deleteQueue("doomed");
        assertEquals(3, segments(aws));
        PartialDeletes partial = new PartialDeletes();
        ShoalEngine janitor = TestEngines.builder(aws, clock).s3(aws.s3Client(partial)).build();

        assertThrows(RetryableException.class, () -> janitor.maintenance(clock.instant()), "the failure is not swallowed");
        assertTrue(partial.fired.get());
        assertEquals(3, segments(aws), "S3 kept them");

        shoal.maintenance(clock.instant());
        assertEquals(0, segments(aws), "the deleted queue was visited again and its segments are gone");
    }

    private static int segments(AwsFixture aws) {
        return aws.s3().listObjectsV2(b -> b.bucket(aws.bucket()).prefix("segments/")).keyCount();
    }

    /** S3 answering a batch delete with 200 and an error per key, deleting nothing: what a throttled or failing S3 does. */
    private static final class PartialDeletes implements ExecutionInterceptor {
        final AtomicBoolean fired = new AtomicBoolean();
        private volatile List<String> refused = List.of();

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            if (context.request() instanceof DeleteObjectsRequest delete && fired.compareAndSet(false, true)) {
                refused = delete.delete().objects().stream().map(o -> o.key()).toList();
                return delete.toBuilder().delete(Delete.builder().objects(delete.delete().objects().getFirst().toBuilder()
                        .key("segments/not-there").build()).quiet(true).build()).build();
            }
            return context.request();
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
            if (context.response() instanceof DeleteObjectsResponse && !refused.isEmpty()) {
                List<S3Error> errors = refused.stream().map(k -> S3Error.builder().key(k).code("InternalError").message("injected").build()).toList();
                refused = List.of();
                return DeleteObjectsResponse.builder().errors(errors).build();
            }
            return context.response();
        }
    }
}
