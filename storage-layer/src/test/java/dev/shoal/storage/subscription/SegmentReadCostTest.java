package dev.shoal.storage.subscription;

import dev.shoal.storage.*;
import dev.shoal.storage.api.*;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(EmbeddedAwsExtension.class)
class SegmentReadCostTest {

    /** Counts bytes S3 sent back, from the responses' Content-Length. */
    private static final class BytesRead implements ExecutionInterceptor {
        final AtomicLong bytes = new AtomicLong();

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            context.httpResponse().firstMatchingHeader("Content-Length").ifPresent(v -> bytes.addAndGet(Long.parseLong(v)));
        }
    }

    @Test
    void aSmallReceiveFromALargeSegmentReadsAByteRangeNotTheWholeObject(AwsFixture aws) {
        ManualClock clock = new ManualClock();
        ShoalEngine producer = TestEngines.engine(aws, clock);
        producer.createQueue("big", QueueSettings.builder().build());
        Random random = new Random(7);
        List<NewMessage> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            byte[] body = new byte[4096];
            random.nextBytes(body); // incompressible: the segment stays about 4 MiB
            batch.add(NewMessage.builder().body(body).build());
        }
        producer.produce("big", batch);
        long objectSize = aws.s3().listObjectsV2(b -> b.bucket(aws.bucket())).contents().getFirst().size();

        BytesRead counter = new BytesRead();
        ShoalEngine consumer = TestEngines.builder(aws, clock).s3(aws.s3Client(counter)).segmentCacheBytes(0).build();
        long before = aws.meter().snapshot().s3Requests("GetObject");
        List<ReceivedMessage> got = consumer.receive("big", Limits.DEFAULT_SUBSCRIPTION, ReceiveRequest.of(10));

        assertEquals(10, got.size());
        assertTrue(objectSize > 4_000_000, "segment is " + objectSize + " bytes");
        assertTrue(counter.bytes.get() < objectSize / 20, "read " + counter.bytes.get() + " of " + objectSize + " bytes");
        assertEquals(2, aws.meter().snapshot().s3Requests("GetObject") - before, "header and index, then one block");
    }

    @Test
    void segmentsAreCachedByKeySoRepeatedReceivesDoNotFetchThemAgain(AwsFixture aws) {
        ManualClock clock = new ManualClock();
        ShoalEngine producer = TestEngines.s3Segments(aws, clock);
        producer.createQueue("q", QueueSettings.builder().build());
        List<NewMessage> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) batch.add(NewMessage.of("m" + i));
        producer.produce("q", batch);

        ShoalEngine consumer = TestEngines.engine(aws, clock);
        long before = aws.meter().snapshot().s3RequestCount();
        for (int i = 0; i < 10; i++) {
            assertEquals(10, consumer.receive("q", Limits.DEFAULT_SUBSCRIPTION, ReceiveRequest.of(10)).size());
        }
        assertEquals(1, aws.meter().snapshot().s3RequestCount() - before, "one GET for ten receives from one segment");
    }
}
