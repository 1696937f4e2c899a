package dev.shoal.it.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A push target on loopback: a real HTTP server that hands each event to a {@link Behaviour},
 * records every request, and measures how many were in progress at once.
 */
final class TargetServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** What the target answers; {@code work} runs before answering (the target's processing time). */
    record Reply(int status, String body, Runnable work) {
        static Reply ok(String body) {
            return new Reply(200, body, () -> { });
        }

        static Reply status(int status) {
            return new Reply(status, "", () -> { });
        }
    }

    /** Decides the reply to the {@code n}-th request (from 1), given its event. */
    @FunctionalInterface
    interface Behaviour {
        Reply reply(int n, JsonNode event);
    }

    /** One request as the target saw it. */
    record Request(int n, JsonNode event, int status) {
        /** An SQS event's {@code Records}, or a Shoal event's {@code messages}. */
        List<JsonNode> messages() {
            List<JsonNode> out = new ArrayList<>();
            event.path(event.has("Records") ? "Records" : "messages").forEach(out::add);
            return out;
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger inProgress = new AtomicInteger();
    private final AtomicInteger maxInProgress = new AtomicInteger();
    private volatile Behaviour behaviour;

    private TargetServer(HttpServer server, Behaviour behaviour) {
        this.server = server;
        this.behaviour = behaviour;
    }

    static TargetServer start(Behaviour behaviour) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            TargetServer target = new TargetServer(server, behaviour);
            server.setExecutor(target.threads);
            server.createContext("/", target::handle);
            server.start();
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Messages of every request answered 2xx, in arrival order. */
    List<JsonNode> messagesOfAnsweredRequests() {
        List<JsonNode> out = new ArrayList<>();
        requests.stream().filter(r -> r.status() / 100 == 2).forEach(r -> out.addAll(r.messages()));
        return out;
    }

    int maxInProgress() {
        return maxInProgress.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode event = JSON.readTree(exchange.getRequestBody().readAllBytes());
            int n = count.incrementAndGet();
            Reply reply = behaviour.reply(n, event);
            // in progress while working, and no longer once the answer can reach the dispatcher
            maxInProgress.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
            try {
                reply.work().run();
            } finally {
                inProgress.decrementAndGet();
            }
            requests.add(new Request(n, event, reply.status()));
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        } catch (IOException e) {
            // the dispatcher gave up waiting (its timeout) and closed the connection: nothing to answer
        }
    }

    /** The target's processing time: real work takes real time, so this is the one place a test thread sleeps. */
    static Runnable working(long millis) {
        return () -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** Makes the target wait for {@code latch} (other requests arriving), at most {@code max}. */
    static void await(java.util.concurrent.CountDownLatch latch, java.time.Duration max) {
        try {
            latch.await(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A partial batch response failing the given message ids. */
    static String failures(List<String> ids) {
        StringBuilder b = new StringBuilder("{\"batchItemFailures\":[");
        for (int i = 0; i < ids.size(); i++) {
            b.append(i == 0 ? "" : ",").append("{\"itemIdentifier\":\"").append(ids.get(i)).append("\"}");
        }
        return b.append("]}").toString();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
