package dev.shoal.storage.metering;

/**
 * AWS list prices, us-east-1, that turn metered usage into dollars: the figures BENCHMARKS.md's
 * "Prices used" section cites (the bench module's {@code Prices} holds the same numbers; change
 * both together). Storage, Lambda and API Gateway are not priced here.
 */
public final class ListPrices {

    /** DynamoDB on-demand, per write request unit ($0.625 per million). */
    public static final double DYNAMO_WRITE_UNIT = 0.625 / 1e6;
    /** DynamoDB on-demand, per read request unit ($0.125 per million). */
    public static final double DYNAMO_READ_UNIT = 0.125 / 1e6;
    /** S3 Standard PUT, COPY, POST, LIST: $0.005 per 1,000. */
    public static final double S3_PUT_CLASS = 0.005 / 1e3;
    /** S3 Standard GET and every other request but DELETE: $0.0004 per 1,000. */
    public static final double S3_GET_CLASS = 0.0004 / 1e3;
    /** Amazon SQS standard, per request (each 64 KiB of a request's payload is one), after the free tier: $0.40 per million. */
    public static final double SQS_REQUEST = 0.40 / 1e6;
    /** Amazon SQS FIFO, per request (the same 64 KiB rule): $0.50 per million. */
    public static final double SQS_FIFO_REQUEST = 0.50 / 1e6;
    /** The payload size SQS bills as one request. */
    public static final long SQS_CHUNK_BYTES = 64 * 1024;

    private ListPrices() {
    }

    /** What one S3 request of this operation costs; DELETE is free, LIST is in the PUT class. */
    public static double s3Request(String operation) {
        return switch (operation) {
            case "PutObject", "CopyObject", "ListObjectsV2", "ListObjects", "CreateMultipartUpload", "UploadPart",
                 "CompleteMultipartUpload", "CreateBucket" -> S3_PUT_CLASS;
            case "DeleteObject", "DeleteObjects", "AbortMultipartUpload" -> 0;
            default -> S3_GET_CLASS;
        };
    }

    /** The dollars the S3 requests of {@code usage} cost. */
    public static double s3Dollars(Meter.Usage usage) {
        double usd = 0;
        for (var e : usage.s3Requests().entrySet()) {
            usd += e.getValue() * s3Request(e.getKey());
        }
        return usd;
    }

    /** The dollars the DynamoDB units of {@code usage} cost. */
    public static double dynamoDollars(Meter.Usage usage) {
        return usage.dynamoWriteUnits() * DYNAMO_WRITE_UNIT + usage.dynamoReadUnits() * DYNAMO_READ_UNIT;
    }
}
