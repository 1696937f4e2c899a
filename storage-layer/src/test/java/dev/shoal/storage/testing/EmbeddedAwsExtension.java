package dev.shoal.storage.testing;

import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.local.AwsStack;
import dev.shoal.storage.local.EmbeddedAws;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one test fixture for anything that needs AWS: resolves an {@link AwsFixture} parameter
 * with fresh tables and a fresh bucket on a stack shared by the whole test JVM.
 *
 * <p>The stack is the embedded emulators (DynamoDB Local and S3Proxy on loopback ports),
 * unless the system property {@code shoal.stack=localstack} asks for LocalStack: then the
 * class named by {@code shoal.stack.class} (default {@code dev.shoal.it.LocalStackAws},
 * in integration-tests) provides it, and where it cannot start (no Docker) the tests are
 * skipped, not failed: the check is an execution condition, so JUnit reports them as skipped.
 */
public final class EmbeddedAwsExtension implements ParameterResolver, ExecutionCondition {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** Why the requested stack could not start, once known: every later test is skipped at once. */
    private static volatile String unavailable;
    private static final String RUN = Long.toString(System.nanoTime() % 100_000, 36);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (unavailable == null) {
            try {
                sharedStack(context);
            } catch (RuntimeException e) {
                Throwable cause = e;
                while (cause != null && !(cause instanceof StackUnavailable)) cause = cause.getCause();
                if (cause == null) throw e;
                unavailable = cause.getMessage();
            }
        }
        return unavailable == null ? ConditionEvaluationResult.enabled("AWS stack available")
                : ConditionEvaluationResult.disabled("LocalStack unavailable (" + unavailable + "): skipped");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == AwsFixture.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        AwsStack stack = sharedStack(extension);
        int n = COUNTER.incrementAndGet();
        AwsFixture fixture = new AwsFixture(stack, new ShoalTables("t" + RUN + "-" + n), "shoal-test-" + RUN + "-" + n);
        extension.getStore(ExtensionContext.Namespace.create(EmbeddedAwsExtension.class, n))
                .put("fixture", (AutoCloseable) fixture);
        return fixture;
    }

    private static AwsStack sharedStack(ExtensionContext extension) {
        ExtensionContext.Store root = extension.getRoot().getStore(ExtensionContext.Namespace.create(EmbeddedAwsExtension.class));
        return root.getOrComputeIfAbsent("stack", key -> new ClosingStack(startStack()), ClosingStack.class).stack();
    }

    private static AwsStack startStack() {
        if (!"localstack".equals(System.getProperty("shoal.stack"))) {
            return EmbeddedAws.startInMemory();
        }
        String className = System.getProperty("shoal.stack.class", "dev.shoal.it.LocalStackAws");
        try {
            return (AwsStack) Class.forName(className).getMethod("start").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new StackUnavailable(String.valueOf(e.getCause() == null ? e : e.getCause()));
        }
    }

    /** The requested stack cannot start here (no Docker for LocalStack). */
    private static final class StackUnavailable extends RuntimeException {
        StackUnavailable(String message) {
            super(message);
        }
    }

    /** Closes the shared stack when the root context closes (end of the test run). */
    private record ClosingStack(AwsStack stack) implements AutoCloseable {
        @Override
        public void close() {
            stack.close();
        }
    }
}
