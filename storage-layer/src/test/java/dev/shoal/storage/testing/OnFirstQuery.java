package dev.shoal.storage.testing;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Runs an action once, just before or just after the first DynamoDB query that matches: how a
 * test makes other things happen between two steps of one receive.
 */
public final class OnFirstQuery implements ExecutionInterceptor {

    private final Predicate<QueryRequest> matches;
    private final Runnable action;
    private final boolean before;
    private final AtomicBoolean fired = new AtomicBoolean();

    private OnFirstQuery(Predicate<QueryRequest> matches, Runnable action, boolean before) {
        this.matches = matches;
        this.action = action;
        this.before = before;
    }

    public static OnFirstQuery before(Predicate<QueryRequest> matches, Runnable action) {
        return new OnFirstQuery(matches, action, true);
    }

    public static OnFirstQuery after(Predicate<QueryRequest> matches, Runnable action) {
        return new OnFirstQuery(matches, action, false);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (before) fire(context.request());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (!before) fire(context.request());
    }

    private void fire(Object request) {
        if (request instanceof QueryRequest q && matches.test(q) && fired.compareAndSet(false, true)) {
            action.run();
        }
    }
}
