package dev.shoal.bench;

import dev.shoal.storage.metering.Meter;

/**
 * AWS list prices, us-east-1, used to turn counts into dollars. BENCHMARKS.md cites where each
 * figure comes from; change them here and in its "Prices" section together.
 */
final class Prices {

    /** DynamoDB on-demand, per write request unit (after the November 2024 cut: $0.625 per million). */
    static final double DYNAMO_WRITE_UNIT = 0.625 / 1e6;
    /** DynamoDB on-demand, per read request unit ($0.125 per million). */
    static final double DYNAMO_READ_UNIT = 0.125 / 1e6;
    /** S3 Standard PUT, COPY, POST, LIST: $0.005 per 1,000. */
    static final double S3_PUT_CLASS = 0.005 / 1e3;
    /** S3 Standard GET, SELECT and all other requests: $0.0004 per 1,000. */
    static final double S3_GET_CLASS = 0.0004 / 1e3;
    /** SQS standard queue, per request (per 64 KiB chunk of payload), after the free tier: $0.40 per million. */
    static final double SQS_REQUEST = 0.40 / 1e6;
    /** SQS FIFO queue, per request (same 64 KiB rule): $0.50 per million. */
    static final double SQS_FIFO_REQUEST = 0.50 / 1e6;
    /** Not in Shoal's storage figures, shown beside them: API Gateway HTTP API, $1.00 per million requests (first 300M). */
    static final double API_GATEWAY_REQUEST = 1.00 / 1e6;
    /** Lambda, $0.20 per million requests (compute not included). */
    static final double LAMBDA_REQUEST = 0.20 / 1e6;
    static final int SQS_MAX_BATCH = 10;
    static final long SQS_CHUNK_BYTES = 64 * 1024;

    private Prices() {
    }

    /** The dollars a piece of usage costs. S3 DELETE is free; LIST is in the PUT class. */
    static double dollars(Meter.Usage u) {
        double s3 = 0;
        for (var e : u.s3Requests().entrySet()) {
            s3 += e.getValue() * s3Price(e.getKey());
        }
        return u.dynamoWriteUnits() * DYNAMO_WRITE_UNIT + u.dynamoReadUnits() * DYNAMO_READ_UNIT + s3;
    }

    static double s3Price(String operation) {
        return switch (operation) {
            case "PutObject", "CopyObject", "ListObjectsV2", "ListObjects", "CreateMultipartUpload", "UploadPart",
                 "CompleteMultipartUpload", "CreateBucket" -> S3_PUT_CLASS;
            case "DeleteObject", "DeleteObjects", "AbortMultipartUpload" -> 0;
            default -> S3_GET_CLASS;
        };
    }

    /**
     * SQS requests per message for a standard queue: one SendMessageBatch per {@code min(produceBatch, 10)}
     * messages, one ReceiveMessage and one DeleteMessageBatch per {@code min(receiveBatch, 10)}, each
     * counted once per started 64 KiB of payload it carries (no empty receives: long polling on a backlog).
     */
    static double sqsRequestsPerMessage(int produceBatch, int receiveBatch, int messageBytes) {
        int send = Math.min(produceBatch, SQS_MAX_BATCH);
        int receive = Math.min(receiveBatch, SQS_MAX_BATCH);
        double sendChunks = Math.max(1, Math.ceil((double) send * messageBytes / SQS_CHUNK_BYTES));
        double receiveChunks = Math.max(1, Math.ceil((double) receive * messageBytes / SQS_CHUNK_BYTES));
        return sendChunks / send + receiveChunks / receive + 1.0 / receive;
    }
}
