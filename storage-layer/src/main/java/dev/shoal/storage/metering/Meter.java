package dev.shoal.storage.metering;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of billable AWS usage, filled by {@link BillingMeter}. Thread-safe. Take a
 * {@link #snapshot()} before and after a piece of work and subtract to see what it cost.
 */
public final class Meter {

    private final Map<String, LongAdder> s3Requests = new ConcurrentHashMap<>();
    private final DoubleAdder dynamoWriteUnits = new DoubleAdder();
    private final DoubleAdder dynamoReadUnits = new DoubleAdder();

    void s3Request(String operation) {
        s3Requests.computeIfAbsent(operation, k -> new LongAdder()).increment();
    }

    void dynamoWrite(double units) {
        dynamoWriteUnits.add(units);
    }

    void dynamoRead(double units) {
        dynamoReadUnits.add(units);
    }

    public Usage snapshot() {
        Map<String, Long> s3 = new TreeMap<>();
        s3Requests.forEach((op, count) -> s3.put(op, count.sum()));
        return new Usage(Map.copyOf(s3), dynamoWriteUnits.sum(), dynamoReadUnits.sum());
    }

    /** Usage at one moment; {@link #minus} gives the usage between two moments. */
    public record Usage(Map<String, Long> s3Requests, double dynamoWriteUnits, double dynamoReadUnits) {

        public long s3RequestCount() {
            return s3Requests.values().stream().mapToLong(Long::longValue).sum();
        }

        public long s3Requests(String operation) {
            return s3Requests.getOrDefault(operation, 0L);
        }

        public Usage minus(Usage earlier) {
            Map<String, Long> s3 = new TreeMap<>(s3Requests);
            earlier.s3Requests.forEach((op, count) -> s3.merge(op, -count, Long::sum));
            return new Usage(Map.copyOf(s3), dynamoWriteUnits - earlier.dynamoWriteUnits,
                    dynamoReadUnits - earlier.dynamoReadUnits);
        }

        @Override
        public String toString() {
            return String.format("S3 %s, DynamoDB %.1f WCU / %.1f RCU", s3Requests, dynamoWriteUnits, dynamoReadUnits);
        }
    }
}
