package dev.shoal.functions.dispatcher;

import dev.shoal.storage.api.QueueService;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Push delivery: for every subscription with a push target, receives batches and invokes the
 * target with them, the way Lambda's SQS event source mapping does (see docs/triggers.md).
 *
 * <p>Each {@link #dispatch} call is one pass: every push subscription is served at once, each
 * up to its maxConcurrency invocations in flight, until nothing is visible or the budget ends;
 * the pass returns when every batch it started is settled. A subscription's pace (concurrency
 * and pause after throttling) carries over to the next pass of the same dispatcher. The limits
 * are this dispatcher's: two dispatchers running at once (the stream and the schedule in AWS)
 * may each reach a subscription's maxConcurrency.
 *
 * <p>Thread-safe, but passes are meant to follow one another, not overlap (a Lambda container
 * runs one invocation at a time; the launcher's timer waits for a pass to end).
 */
public final class Dispatcher implements AutoCloseable {

    private final QueueService service;
    private final Clock clock;
    private final TargetInvoker invoker;
    private final DispatcherOptions options;
    private final PushSubscriptions subscriptions;
    private final Map<String, Pacer> pacers = new ConcurrentHashMap<>();
    private final ExecutorService executor;

    public Dispatcher(QueueService service, Clock clock, TargetInvoker invoker) {
        this(service, clock, invoker, DispatcherOptions.DEFAULT);
    }

    public Dispatcher(QueueService service, Clock clock, TargetInvoker invoker, DispatcherOptions options) {
        this.service = service;
        this.clock = clock;
        this.invoker = invoker;
        this.options = options;
        this.subscriptions = new PushSubscriptions(service, options.listRefresh());
        // platform threads, not virtual: on Java 21 a blocking url-connection call pins its carrier
        this.executor = Executors.newCachedThreadPool(daemonThreads());
    }

    /** One pass over every push subscription; see the class comment. */
    public DispatchReport dispatch(PassBudget budget) {
        List<PushSubscription> subs = subscriptions.current();
        DispatchReport.Tally tally = new DispatchReport.Tally();
        List<Future<?>> lanes = new ArrayList<>();
        for (PushSubscription sub : subs) {
            Pacer pacer = pacers.computeIfAbsent(sub.key() + " " + sub.target().target(),
                    k -> new Pacer(options.initialBackoff(), options.maxBackoff()));
            Lane lane = new Lane(service, clock, invoker, executor, sub, pacer, tally, options.sqsSource());
            lanes.add(executor.submit(() -> lane.run(budget.lastStart(sub.target().timeout()))));
        }
        for (Future<?> lane : lanes) {
            try {
                lane.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException e) {
                tally.errors.incrementAndGet();
            }
        }
        return tally.report(subs.size());
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "shoal-dispatch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
