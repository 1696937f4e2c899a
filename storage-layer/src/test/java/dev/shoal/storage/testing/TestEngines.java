package dev.shoal.storage.testing;

import dev.shoal.storage.ShoalEngine;

import java.nio.charset.StandardCharsets;

/** Engines on a fixture, with a manual clock whose waits move the clock instead of sleeping. */
public final class TestEngines {

    public static final byte[] SECRET = "a test deployment secret of 32+ bytes".getBytes(StandardCharsets.UTF_8);

    private TestEngines() {
    }

    public static ShoalEngine engine(AwsFixture aws, ManualClock clock) {
        return builder(aws, clock).build();
    }

    /**
     * An engine that writes every segment to S3, however small (no inline segments, ADR 0016):
     * for tests of what happens to segment objects.
     */
    public static ShoalEngine s3Segments(AwsFixture aws, ManualClock clock) {
        return builder(aws, clock).inlineSegmentLimit(0).build();
    }

    public static ShoalEngine.Builder builder(AwsFixture aws, ManualClock clock) {
        return ShoalEngine.builder().dynamo(aws.dynamo()).s3(aws.s3()).tables(aws.tables()).bucket(aws.bucket())
                .clock(clock).sleeper(clock::advance).receiptSecret(SECRET);
    }
}
