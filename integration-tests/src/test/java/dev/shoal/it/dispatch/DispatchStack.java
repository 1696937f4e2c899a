package dev.shoal.it.dispatch;

import dev.shoal.functions.dispatcher.Dispatcher;
import dev.shoal.functions.dispatcher.DispatcherOptions;
import dev.shoal.functions.dispatcher.HttpTargetInvoker;
import dev.shoal.functions.dispatcher.PassBudget;
import dev.shoal.functions.dispatcher.TargetInvoker;
import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.SubscriptionStats;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.TestEngines;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.awaitility.Awaitility.await;

/**
 * The real engine on the test's tables and bucket, on the system clock, with a dispatcher that
 * pushes over real HTTP. Short backoffs keep the tests fast; nothing else differs from the
 * launcher's wiring.
 */
final class DispatchStack implements AutoCloseable {

    static final Duration PASS = Duration.ofSeconds(2);

    final ShoalEngine engine;
    final Dispatcher dispatcher;

    DispatchStack(AwsFixture aws) {
        this(aws, new HttpTargetInvoker());
    }

    /** With targets invoked through {@code invoker} (Lambda ones too). */
    DispatchStack(AwsFixture aws, TargetInvoker invoker) {
        this.engine = ShoalEngine.builder().dynamo(aws.dynamo()).s3(aws.s3()).tables(aws.tables()).bucket(aws.bucket())
                .clock(Clock.systemUTC()).receiptSecret(TestEngines.SECRET).build();
        this.dispatcher = new Dispatcher(engine, Clock.systemUTC(), invoker,
                DispatcherOptions.DEFAULT.withListRefresh(Duration.ZERO).withBackoff(Duration.ofMillis(50), Duration.ofMillis(400)));
    }

    /** Runs dispatch passes, as the launcher's timer does, until {@code done} holds (bounded). */
    void dispatchUntil(Duration atMost, BooleanSupplier done) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> {
            dispatcher.dispatch(PassBudget.open(Clock.systemUTC().instant(), PASS));
            return done.getAsBoolean();
        });
    }

    void produce(String queue, List<NewMessage> messages) {
        engine.produce(queue, messages);
    }

    boolean settled(String queue, String subscription) {
        SubscriptionStats s = engine.describeSubscription(queue, subscription).stats();
        return s.visible() == 0 && s.inFlight() == 0 && s.delayed() == 0;
    }

    /** Everything visible on a (dead-letter) queue's default subscription, acked as it is read. */
    List<ReceivedMessage> drain(String queue) {
        List<ReceivedMessage> out = new ArrayList<>();
        while (true) {
            List<ReceivedMessage> got = engine.receive(queue, "default", ReceiveRequest.of(100));
            if (got.isEmpty()) return out;
            out.addAll(got);
            engine.ack(queue, "default", got.stream().map(ReceivedMessage::receipt).toList());
        }
    }

    @Override
    public void close() {
        dispatcher.close();
    }
}
