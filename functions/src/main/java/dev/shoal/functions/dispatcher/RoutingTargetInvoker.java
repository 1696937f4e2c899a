package dev.shoal.functions.dispatcher;

import dev.shoal.storage.api.PushTarget;

import java.util.function.Supplier;

/**
 * Sends each target to the invoker of its kind: Lambda ARNs to one, http(s) URLs to the other.
 * The Lambda invoker is built on first use, so a dispatcher that only has HTTP targets (the
 * local launcher) never needs AWS credentials.
 */
public final class RoutingTargetInvoker implements TargetInvoker, AutoCloseable {

    private final Supplier<? extends TargetInvoker> lambdaFactory;
    private final TargetInvoker http;
    private volatile TargetInvoker lambda;

    public RoutingTargetInvoker(Supplier<? extends TargetInvoker> lambda, TargetInvoker http) {
        this.lambdaFactory = lambda;
        this.http = http;
    }

    /** In AWS: Lambda targets through {@link LambdaTargetInvoker#fromEnvironment()}, HTTP targets with the JDK client. */
    public static RoutingTargetInvoker forLambda() {
        return new RoutingTargetInvoker(LambdaTargetInvoker::fromEnvironment, new HttpTargetInvoker());
    }

    /** On one machine: HTTP targets only; a Lambda target's messages are given back, uncounted, until it is changed. */
    public static RoutingTargetInvoker httpOnly() {
        return new RoutingTargetInvoker(() -> (target, event) -> new InvocationOutcome.NotDelivered(
                "Lambda targets are not invoked outside AWS; use an http(s) target locally", null), new HttpTargetInvoker());
    }

    @Override
    public InvocationOutcome invoke(PushTarget target, byte[] event) {
        return target.target().startsWith("arn:") ? lambda().invoke(target, event) : http.invoke(target, event);
    }

    private TargetInvoker lambda() {
        TargetInvoker l = lambda;
        if (l == null) {
            synchronized (this) {
                if (lambda == null) {
                    lambda = lambdaFactory.get();
                }
                l = lambda;
            }
        }
        return l;
    }

    @Override
    public void close() throws Exception {
        if (lambda instanceof AutoCloseable c) {
            c.close();
        }
    }
}
