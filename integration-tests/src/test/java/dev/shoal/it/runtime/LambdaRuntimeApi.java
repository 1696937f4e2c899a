package dev.shoal.it.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small Lambda Runtime API (the 2018-06-01 protocol the runtime interface client speaks):
 * {@code GET /runtime/invocation/next} hands out the events given to {@link #invoke}, {@code
 * POST /runtime/invocation/{id}/response} and {@code .../error} answer them, and {@code POST
 * /runtime/init/error} reports a function that could not start. The fake the team allows:
 * what runs behind it is the real runtime client and the real function.
 */
final class LambdaRuntimeApi implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";

    /** What a function answered: its response, or its error document. */
    record Answer(boolean error, String body) {
    }

    private record Invocation(String requestId, byte[] event, Duration timeout, CompletableFuture<Answer> answer) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();
    private final String functionArn;
    private volatile boolean closed;

    LambdaRuntimeApi(String functionArn) {
        this.functionArn = functionArn;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(PREFIX, this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** host:port, as AWS_LAMBDA_RUNTIME_API takes it. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues one event; the future completes when the function answers it. */
    CompletableFuture<Answer> invoke(String event, Duration timeout) {
        Invocation i = new Invocation(UUID.randomUUID().toString(), event.getBytes(StandardCharsets.UTF_8), timeout,
                new CompletableFuture<>());
        inFlight.put(i.requestId(), i);
        pending.add(i);
        return i.answer();
    }

    /** Completes with the error document if the function reports that its init failed. */
    CompletableFuture<String> initError() {
        return initError;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && path.equals("init/error")) {
                initError.complete(body(exchange));
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && path.startsWith("invocation/")) {
                String[] parts = path.split("/");
                Invocation i = parts.length == 3 ? inFlight.remove(parts[1]) : null;
                if (i == null || !(parts[2].equals("response") || parts[2].equals("error"))) {
                    reply(exchange, 400, "{\"errorType\":\"InvalidRequestID\"}");
                    return;
                }
                i.answer().complete(new Answer(parts[2].equals("error"), body(exchange)));
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else {
                reply(exchange, 404, "{\"errorType\":\"NotFound\",\"errorMessage\":\"" + method + " " + path + "\"}");
            }
        }
    }

    /** Long-polls, as Lambda's does: the runtime client waits here between invocations. */
    private void next(HttpExchange exchange) throws IOException {
        Invocation i = null;
        try {
            while (i == null && !closed) {
                i = pending.poll(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (i == null) {
            reply(exchange, 500, "{\"errorType\":\"ShuttingDown\"}");
            return;
        }
        var headers = exchange.getResponseHeaders();
        headers.add("Lambda-Runtime-Aws-Request-Id", i.requestId());
        headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + i.timeout().toMillis()));
        headers.add("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        headers.add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
        headers.add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, i.event().length);
        exchange.getResponseBody().write(i.event());
    }

    private static String body(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        threads.shutdownNow();
    }
}
