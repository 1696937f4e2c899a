package dev.shoal.storage.serving;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * Wraps the real client: holds the first matching request until released (so that other callers
 * pile up behind it), counts the matching requests, and can fail them on demand. The store
 * under test is the real one.
 */
final class Hold implements ExecutionInterceptor {

    private final Predicate<SdkRequest> matches;
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean holding = new AtomicBoolean(true);
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean failing;

    Hold(Predicate<SdkRequest> matches) {
        this.matches = matches;
    }

    /** Holds the puts of single items into {@code table} (a log table's puts are its commits). */
    static Hold putsInto(String table) {
        return new Hold(r -> r instanceof PutItemRequest p && p.tableName().equals(table));
    }

    /** Holds the queries of {@code table}. */
    static Hold queriesOf(String table) {
        return new Hold(r -> r instanceof QueryRequest q && q.tableName().equals(table));
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (!matches.test(context.request())) {
            return;
        }
        count.incrementAndGet();
        if (failing) {
            throw SdkClientException.create("injected: the store refused the request");
        }
        if (holding.compareAndSet(true, false)) {
            held.incrementAndGet();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw SdkClientException.create("test: never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void awaitHeld() {
        await().atMost(Duration.ofSeconds(20)).until(() -> held.get() == 1);
    }

    void release() {
        release.countDown();
    }

    void failFromNowOn() {
        failing = true;
    }

    int count() {
        return count.get();
    }
}
