package dev.shoal.functions.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.functions.api.Json;
import dev.shoal.storage.metering.ListPrices;
import dev.shoal.storage.metering.Meter;

import java.time.Instant;
import java.util.Locale;

/**
 * What the local stack's traffic since {@code since} would cost on AWS: the billing meter's S3
 * requests and DynamoDB units at {@link ListPrices}, beside what Amazon SQS would bill for the
 * same API calls. The body of {@code GET /local/usage} and the line {@code ./shoal local} prints
 * when it stops.
 */
record Usage(Instant since, Meter.Usage aws, long apiCalls, long sqsRequests, long sqsFifoRequests) {

    double s3Usd() {
        return ListPrices.s3Dollars(aws);
    }

    double dynamoUsd() {
        return ListPrices.dynamoDollars(aws);
    }

    double sqsUsd() {
        return (sqsRequests - sqsFifoRequests) * ListPrices.SQS_REQUEST + sqsFifoRequests * ListPrices.SQS_FIFO_REQUEST;
    }

    /**
     * {@code {"since", "s3": {op: count}, "dynamodb": {"readUnits", "writeUnits"},
     * "usd": {"s3", "dynamodb", "total"}, "api": {"calls"}, "sqs": {"requests", "fifoRequests", "usd"}}}.
     */
    byte[] json() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("since", since.toString());
        ObjectNode s3 = root.putObject("s3");
        aws.s3Requests().forEach(s3::put);
        ObjectNode dynamo = root.putObject("dynamodb");
        dynamo.put("readUnits", aws.dynamoReadUnits());
        dynamo.put("writeUnits", aws.dynamoWriteUnits());
        ObjectNode usd = root.putObject("usd");
        usd.put("s3", s3Usd());
        usd.put("dynamodb", dynamoUsd());
        usd.put("total", s3Usd() + dynamoUsd());
        root.putObject("api").put("calls", apiCalls);
        ObjectNode sqs = root.putObject("sqs");
        sqs.put("requests", sqsRequests);
        sqs.put("fifoRequests", sqsFifoRequests);
        sqs.put("usd", sqsUsd());
        return Json.write(root);
    }

    /** One line for people, printed when the launcher stops. */
    String summary() {
        return String.format(Locale.ROOT, "shoal local: this run would cost on AWS $%.6f (S3 %d requests $%.6f; DynamoDB %.1f read / %.1f write units $%.6f); "
                        + "Amazon SQS would bill $%.6f for the same %d calls (%d requests)",
                s3Usd() + dynamoUsd(), aws.s3RequestCount(), s3Usd(), aws.dynamoReadUnits(), aws.dynamoWriteUnits(), dynamoUsd(),
                sqsUsd(), apiCalls, sqsRequests);
    }
}
