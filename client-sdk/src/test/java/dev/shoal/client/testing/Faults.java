package dev.shoal.client.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Faults in front of the real API handler, the way a network or API Gateway produces them: a
 * status instead of an answer (the request never reached the service), or the service's work
 * done and its answer lost.
 */
public final class Faults {

    private Faults() {
    }

    public static final Predicate<APIGatewayV2HTTPEvent> PRODUCE = e -> e.getRawPath().endsWith("/messages");

    /** Calls seen by a fault, to assert how many attempts a client made. */
    public static final class Counter {
        private final AtomicInteger calls = new AtomicInteger();

        public int calls() {
            return calls.get();
        }
    }

    /** The first {@code times} matching requests get {@code status} without reaching the service. */
    public static UnaryOperator<Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> refuse(
            Predicate<APIGatewayV2HTTPEvent> which, int times, int status, String code, Counter counter) {
        AtomicInteger left = new AtomicInteger(times);
        return real -> event -> {
            if (!which.test(event)) {
                return real.apply(event);
            }
            counter.calls.incrementAndGet();
            return left.getAndDecrement() > 0 ? error(status, code) : real.apply(event);
        };
    }

    /** The first {@code times} matching requests are served, then answered with {@code status}: the answer is lost. */
    public static UnaryOperator<Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> loseAnswer(
            Predicate<APIGatewayV2HTTPEvent> which, int times, int status, Counter counter) {
        AtomicInteger left = new AtomicInteger(times);
        return real -> event -> {
            if (!which.test(event)) {
                return real.apply(event);
            }
            counter.calls.incrementAndGet();
            APIGatewayV2HTTPResponse served = real.apply(event);
            return left.getAndDecrement() > 0 ? error(status, null) : served;
        };
    }

    public static APIGatewayV2HTTPResponse error(int status, String code) {
        String body = code == null ? "{\"message\":\"Internal Server Error\"}"
                : "{\"code\":\"" + code + "\",\"message\":\"injected " + code + "\"}";
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
                .withHeaders(Map.of("content-type", "application/json")).withBody(body).build();
    }
}
