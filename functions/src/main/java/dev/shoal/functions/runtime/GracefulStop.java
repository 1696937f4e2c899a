package dev.shoal.functions.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * What a function does when its process is told to stop (SIGTERM, a JVM shutdown hook): long
 * polls waiting for messages answer with what they have, the engine calls in flight finish, for
 * at most {@link #DRAIN}, and only then the SDK clients close.
 *
 * <p>When it runs: Lambda sends SIGTERM to the runtime only when the function has an extension
 * registered (for example a monitoring layer), and gives the runtime 300 ms (500 ms with an
 * internal extension) before SIGKILL; without one, the process is frozen and killed without a
 * signal. On standard Lambda one invocation runs at a time, the handler returns only once its
 * commits and acks are written, and the environment is shut down between invocations, so there
 * is nothing in flight to lose and no signal is needed: this hook matters where calls can be in
 * flight at a stop (Lambda Managed Instances, where one JVM serves several invocations at once
 * and group commits are shared among them, or any host that signals its process), and it is why no extension is registered just to get the signal
 * (docs/deploy.md, "Shutdown").
 */
public final class GracefulStop implements Runnable {

    /** Within the 300 ms Lambda gives a runtime after SIGTERM; a commit takes tens of milliseconds. */
    public static final Duration DRAIN = Duration.ofMillis(250);
    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);

    private final Runnable endWaits;
    private final InFlightCalls calls;
    private final Duration drain;
    private final List<AutoCloseable> clients;

    /** @param endWaits ends the long polls in flight (they would outlast any drain) */
    public GracefulStop(Runnable endWaits, InFlightCalls calls, Duration drain, List<AutoCloseable> clients) {
        this.endWaits = endWaits;
        this.calls = calls;
        this.drain = drain;
        this.clients = List.copyOf(clients);
    }

    /** Registers the stop as a JVM shutdown hook (what SIGTERM runs). */
    public static GracefulStop onShutdown(Runnable endWaits, InFlightCalls calls, List<AutoCloseable> clients) {
        GracefulStop stop = new GracefulStop(endWaits, calls, DRAIN, clients);
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "shoal-graceful-stop"));
        return stop;
    }

    /** Ends the long polls, waits for the calls in flight (bounded), then closes the clients, in order. */
    @Override
    public void run() {
        endWaits.run();
        boolean drained;
        try {
            drained = calls.awaitIdle(drain);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        if (drained) {
            LOG.info("graceful stop: no engine call in flight; closing the clients");
        } else {
            LOG.warn("graceful stop: {} engine calls still in flight after {}; closing the clients", calls.count(), drain);
        }
        for (AutoCloseable c : clients) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("while stopping: {}", e.toString());
            }
        }
    }
}
