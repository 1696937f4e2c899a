package dev.shoal.storage.metering;

import dev.shoal.storage.dynamodb.ShoalTables;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.util.List;

/**
 * Counts what AWS would bill for the calls made through an SDK client: S3 requests by
 * operation, and DynamoDB read and write capacity units. Add it to a client's
 * {@code overrideConfiguration} as an execution interceptor.
 *
 * <p>DynamoDB: every request is sent with {@code ReturnConsumedCapacity=TOTAL} and the
 * units the store reports are counted, with two corrections where DynamoDB Local's report
 * differs from the service's bill:
 * <ul>
 *   <li>transactions are billed at twice the units of the same plain writes, per item; Local's
 *       report for them is inconsistent (it doubles a one-item transaction, not a two-item one),
 *       so transactional writes are counted from the request instead: two units per KB of each
 *       item put, and two more where the item carries the {@code due} index's keys (updates,
 *       deletes and condition checks at their two-unit minimum);</li>
 *   <li>a write rejected by its condition is still billed (at least one unit per item, two
 *       in a transaction); no capacity comes back with the error, so the minimum is
 *       counted;</li>
 *   <li>a read that finds nothing is still billed (one unit strongly consistent, half
 *       otherwise), where Local reports nothing.</li>
 * </ul>
 * Writes to a global secondary index are billed too; DynamoDB reports them with
 * {@code TOTAL} and they are included in the total here.
 */
public final class BillingMeter implements ExecutionInterceptor {

    private final Meter meter;

    public BillingMeter(Meter meter) {
        this.meter = meter;
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
        return switch (request) {
            case PutItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case UpdateItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case DeleteItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case GetItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case QueryRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case ScanRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case BatchGetItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case BatchWriteItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case TransactWriteItemsRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case TransactGetItemsRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            default -> request;
        };
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if ("S3".equals(service)) {
            meter.s3Request(operation);
            return;
        }
        SdkResponse response = context.response();
        switch (response) {
            case PutItemResponse r -> write(r.consumedCapacity(), 1);
            case UpdateItemResponse r -> write(r.consumedCapacity(), 1);
            case DeleteItemResponse r -> write(r.consumedCapacity(), 1);
            case BatchWriteItemResponse r -> write(r.consumedCapacity(), 1);
            case TransactWriteItemsResponse r -> meter.dynamoWrite(transactionUnits(context.request()));
            case GetItemResponse r -> readAtLeast(r.consumedCapacity(), minimumRead(context.request()));
            case QueryResponse r -> readAtLeast(r.consumedCapacity(), minimumRead(context.request()));
            case ScanResponse r -> readAtLeast(r.consumedCapacity(), minimumRead(context.request()));
            case BatchGetItemResponse r -> read(r.consumedCapacity(), 1);
            case TransactGetItemsResponse r -> read(r.consumedCapacity(), 2);
            default -> { }
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        if ("S3".equals(service)) {
            // S3 bills a request whether it succeeded or not.
            meter.s3Request(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            return;
        }
        Throwable failure = context.exception();
        if (failure instanceof ConditionalCheckFailedException) {
            meter.dynamoWrite(1.0);
        } else if (failure instanceof TransactionCanceledException) {
            meter.dynamoWrite(transactionUnits(context.request()));
        }
    }

    /** What a TransactWriteItems request is billed, from its items (see the class comment). */
    static double transactionUnits(SdkRequest request) {
        if (!(request instanceof TransactWriteItemsRequest transaction)) {
            return 0;
        }
        double units = 0;
        for (var item : transaction.transactItems()) {
            if (item.put() != null) {
                units += 2.0 * ItemSize.writeUnits(item.put().item());
                if (item.put().item().containsKey(ShoalTables.DUE_INDEX_PARTITION_KEY)
                        && item.put().item().containsKey(ShoalTables.DUE_INDEX_SORT_KEY)) {
                    units += 2.0;
                }
            } else {
                units += 2.0;
            }
        }
        return units;
    }

    private void write(ConsumedCapacity capacity, int factor) {
        if (capacity != null && capacity.capacityUnits() != null) {
            meter.dynamoWrite(factor * capacity.capacityUnits());
        }
    }

    private void write(List<ConsumedCapacity> capacities, int factor) {
        if (capacities != null) {
            capacities.forEach(c -> write(c, factor));
        }
    }

    /**
     * The least a read is billed, found or not: one unit strongly consistent, half eventually
     * consistent. DynamoDB Local reports nothing for a query that finds nothing; the service
     * bills it.
     */
    static double minimumRead(SdkRequest request) {
        Boolean consistent = switch (request) {
            case GetItemRequest r -> r.consistentRead();
            case QueryRequest r -> r.consistentRead();
            case ScanRequest r -> r.consistentRead();
            default -> null;
        };
        return Boolean.TRUE.equals(consistent) ? 1.0 : 0.5;
    }

    private void readAtLeast(ConsumedCapacity capacity, double minimum) {
        double units = capacity == null || capacity.capacityUnits() == null ? 0 : capacity.capacityUnits();
        meter.dynamoRead(Math.max(units, minimum));
    }

    private void read(ConsumedCapacity capacity, int factor) {
        if (capacity != null && capacity.capacityUnits() != null) {
            meter.dynamoRead(factor * capacity.capacityUnits());
        }
    }

    private void read(List<ConsumedCapacity> capacities, int factor) {
        if (capacities != null) {
            capacities.forEach(c -> read(c, factor));
        }
    }
}
