package dev.shoal.storage.testing;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Breaks real SDK calls on purpose: wraps the real client as an interceptor, so the store under
 * test is still the real one. Each fault fires a set number of times for one operation.
 */
public final class Faults {

    private Faults() {
    }

    /** The request never reaches the store: as if the connection failed before sending. */
    public static ExecutionInterceptor failBeforeSending(String operation, int times) {
        AtomicInteger left = new AtomicInteger(times);
        return new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (operation.equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)) && left.getAndDecrement() > 0) {
                    throw SdkClientException.create("injected: connection failed before sending " + operation);
                }
            }
        };
    }

    /** The store did the work but the answer is lost: as if the response timed out. */
    public static ExecutionInterceptor loseResponse(String operation, int times) {
        AtomicInteger left = new AtomicInteger(times);
        return new ExecutionInterceptor() {
            @Override
            public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
                if (operation.equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)) && left.getAndDecrement() > 0) {
                    throw SdkClientException.create("injected: response to " + operation + " lost");
                }
            }
        };
    }

    /** Counts calls of one operation that reached the store. */
    public static final class Counter implements ExecutionInterceptor {
        private final String operation;
        private final AtomicInteger count = new AtomicInteger();

        public Counter(String operation) {
            this.operation = operation;
        }

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            if (operation.equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
                count.incrementAndGet();
            }
        }

        public int count() {
            return count.get();
        }
    }
}
