package dev.shoal.functions.local;

import dev.shoal.functions.api.ApiConfig;
import dev.shoal.functions.api.ApiHandler;
import dev.shoal.functions.api.ApiRouter;
import dev.shoal.functions.api.auth.AccessKeys;
import dev.shoal.functions.dispatcher.Dispatcher;
import dev.shoal.functions.dispatcher.DispatcherOptions;
import dev.shoal.functions.dispatcher.SqsSource;
import dev.shoal.functions.dispatcher.PassBudget;
import dev.shoal.functions.dispatcher.RoutingTargetInvoker;
import dev.shoal.functions.janitor.EngineMaintenance;
import dev.shoal.functions.janitor.JanitorHandler;
import dev.shoal.functions.runtime.ReceiptSecret;
import dev.shoal.storage.ErrorBoundary;
import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.local.EmbeddedAws;
import dev.shoal.storage.metering.BillingMeter;
import dev.shoal.storage.metering.Meter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./shoal local}: Shoal on one machine. Starts DynamoDB Local and the S3 emulator with
 * data in a folder, provisions tables and bucket, builds the engine, and serves the same
 * {@link ApiHandler} the API function runs, on 127.0.0.1, with the janitor and the dispatcher
 * on timers. A restart on the same folder finds the queues and messages of the last.
 */
public final class LocalLauncher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalLauncher.class);
    public static final ShoalTables TABLES = new ShoalTables("shoal");
    public static final String BUCKET = "shoal-local";
    static final Duration JANITOR_PERIOD = Duration.ofSeconds(60);
    /** Locally there is no stream to nudge the dispatcher: it looks every second instead. */
    static final Duration DISPATCHER_PERIOD = Duration.ofSeconds(1);
    /** How long requests in flight get to finish on shutdown: the longest long poll (20 s) and room for its answer. */
    static final Duration DRAIN = LocalHttpServer.DEFAULT_DRAIN;
    /** How long a janitor or dispatcher pass in progress gets to finish on shutdown. */
    static final Duration TIMERS_DRAIN = Duration.ofSeconds(15);
    /** A pass starts batches for this long, then ends once they are settled, so new push subscriptions are picked up. */
    static final Duration DISPATCH_PASS = Duration.ofSeconds(10);

    private final List<AutoCloseable> resources;
    private final LocalHttpServer server;
    private final DataDirectory data;
    private final LauncherOptions options;
    private final LocalRoutes routes;

    private LocalLauncher(List<AutoCloseable> resources, LocalHttpServer server, DataDirectory data, LauncherOptions options,
                          LocalRoutes routes) {
        this.resources = resources;
        this.server = server;
        this.data = data;
        this.options = options;
        this.routes = routes;
    }

    public static void main(String[] args) {
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) System.err.println("shoal local: " + e.getMessage());
            System.err.println(LauncherOptions.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        LocalLauncher launcher;
        try {
            launcher = start(options);
        } catch (RuntimeException e) {
            System.err.println("shoal local: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("shoal local: stopping (answering the requests in flight, up to " + DRAIN.toSeconds() + " s)...");
            launcher.close();
            System.out.println(launcher.usage().summary());
            System.out.println("shoal local: stopped");
            stopped.countDown();
        }, "shoal-shutdown"));
        System.out.println(launcher.banner());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts everything; on failure stops what was started and throws with a message meant for people. */
    public static LocalLauncher start(LauncherOptions options) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            DataDirectory data = DataDirectory.open(options.dataDir());
            started.add(data);
            EmbeddedAws aws = EmbeddedAws.startOnDisk(data.path());
            started.add(aws);
            aws.provision(TABLES, BUCKET);
            Meter meter = new Meter(); // what AWS would bill: GET /local/usage, and the line printed on stop
            var dynamo = aws.dynamoClient(c -> c.addExecutionInterceptor(new BillingMeter(meter)));
            started.add(dynamo);
            var s3 = aws.s3Client(c -> c.addExecutionInterceptor(new BillingMeter(meter)));
            started.add(s3);
            ShoalEngine engine = ShoalEngine.builder()
                    .dynamo(dynamo)
                    .s3(s3)
                    .tables(TABLES)
                    .bucket(BUCKET)
                    .clock(Clock.systemUTC())
                    .receiptSecret(ReceiptSecret.decode(data.receiptSecret()))
                    .build();
            ApiConfig config = new ApiConfig(ApiConfig.DEFAULT_ACCOUNT_ID, options.region(),
                    new AccessKeys(Map.of(options.accessKey(), options.secretKey())), null, Clock.systemUTC(), true);
            ApiHandler handler = new ApiHandler(new ApiRouter(ErrorBoundary.around(engine), config));
            LocalRoutes routes = new LocalRoutes(event -> handler.handleRequest(event, null), meter, Clock.systemUTC());
            // one thread per task: a dispatch pass waiting on a slow target must not hold the janitor up
            ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
                Thread t = new Thread(r, "shoal-timers");
                t.setDaemon(true);
                return t;
            });
            // closed in reverse: the API drains first, then the timers, then the clients and emulators
            started.add(() -> stopTimers(timers));
            LocalHttpServer server = LocalHttpServer.start("127.0.0.1", options.port(), routes);
            started.add(() -> {
                engine.endLongPolls(); // waiting receives answer now, as when their wait ends, so the drain is short
                server.stop(DRAIN);
            });
            for (BackgroundTask task : backgroundTasks(engine, new SqsSource(options.region(), ApiConfig.DEFAULT_ACCOUNT_ID))) {
                schedule(timers, task);
            }
            return new LocalLauncher(started, server, data, options, routes);
        } catch (IOException | RuntimeException e) {
            closeAll(started);
            if (e instanceof LocalHttpServer.PortInUseException p) throw p;
            throw new IllegalStateException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    /** What runs on timers beside the API: the janitor, and the dispatcher pushing to HTTP targets. */
    static List<BackgroundTask> backgroundTasks(ShoalEngine engine, SqsSource sqsSource) {
        JanitorHandler janitor = new JanitorHandler(new EngineMaintenance(engine, TABLES.prefix()), Clock.systemUTC(),
                line -> LoggerFactory.getLogger("shoal.janitor").debug(line));
        // the subscription list is read at most once a pass, so a new push subscription starts within a second or so
        Dispatcher dispatcher = new Dispatcher(engine, Clock.systemUTC(), RoutingTargetInvoker.httpOnly(),
                DispatcherOptions.DEFAULT.withListRefresh(DISPATCHER_PERIOD).withSqsSource(sqsSource));
        return List.of(BackgroundTask.of("janitor", JANITOR_PERIOD, janitor::run),
                BackgroundTask.of("dispatcher", DISPATCHER_PERIOD,
                        () -> dispatcher.dispatch(PassBudget.open(Clock.systemUTC().instant(), DISPATCH_PASS))));
    }

    private static void schedule(ScheduledExecutorService timers, BackgroundTask task) {
        long period = task.period().toMillis();
        timers.scheduleWithFixedDelay(() -> {
            try {
                task.run(Clock.systemUTC().instant());
            } catch (RuntimeException e) {
                LOG.warn("{} run failed: {}", task.name(), e.toString());
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    public URI endpoint() {
        return server.endpoint();
    }

    /** What the traffic since start would cost on AWS, and on SQS for the same calls. */
    Usage usage() {
        return routes.usage();
    }

    /** How many API requests are being served now (for tests and the shutdown log). */
    public int requestsInFlight() {
        return server.inFlight();
    }

    String banner() {
        String url = endpoint().toString();
        return """
                Shoal is running at %1$s  (data in %2$s)
                  console     %1$s/   (what AWS would bill: curl %1$s/local/usage)
                  CLI         ./shoal cli queues   (./shoal cli --help; --endpoint %1$s if not on 8080)
                  health      curl %1$s/health
                  native API  curl -X PUT %1$s/v1/queues/demo
                              curl -X POST %1$s/v1/queues/demo/messages -d '{"messages":[{"body":"hello"}]}'
                              curl -X POST %1$s/v1/queues/demo/receive -d '{"maxMessages":10,"waitTime":"5s"}'
                  SQS API     access key %3$s, secret key %4$s, region %5$s
                              export AWS_ACCESS_KEY_ID=%3$s AWS_SECRET_ACCESS_KEY=%4$s AWS_DEFAULT_REGION=%5$s
                              aws --endpoint-url %1$s sqs create-queue --queue-name demo-sqs
                              aws --endpoint-url %1$s sqs send-message --queue-url %1$s/%6$s/demo-sqs --message-body hello
                Press Ctrl-C to stop.""".formatted(url, data.path(), options.accessKey(), options.secretKey(), options.region(),
                ApiConfig.DEFAULT_ACCOUNT_ID);
    }

    /**
     * Stops gracefully, in this order: long polls waiting for messages answer with what they have;
     * the API stops accepting and answers the requests in flight (up to {@link #DRAIN}); the timers start no new pass and let a pass in progress end (up to
     * {@link #TIMERS_DRAIN}); the SDK clients close; the emulators stop, DynamoDB Local closing
     * its database files; the data folder is released. Nothing the engine acknowledged is
     * buffered in memory (every commit is written before it is answered), so there is nothing
     * else to flush.
     */
    @Override
    public void close() {
        closeAll(resources);
    }

    private static void stopTimers(ScheduledExecutorService timers) throws InterruptedException {
        timers.shutdown();
        if (!timers.awaitTermination(TIMERS_DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("a background pass outlasted {}; interrupting it", TIMERS_DRAIN);
            timers.shutdownNow();
        }
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable c : resources.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("while stopping: {}", e.toString());
            }
        }
        resources.clear();
    }
}
