package dev.shoal.functions.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.shoal.functions.api.ApiConfig;
import dev.shoal.functions.api.ApiEvents;
import dev.shoal.functions.api.ApiRouter;
import dev.shoal.functions.api.HttpResponse;
import dev.shoal.storage.api.Utf8Text;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Serves a Lambda HTTP handler on a local port, the way API Gateway would call it: each
 * exchange becomes an {@link APIGatewayV2HTTPEvent} (payload 2.0) and the response event is
 * written back. A virtual thread per request, so 20-second long polls cost nothing.
 */
public final class LocalHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalHttpServer.class);
    /** The longest long poll (20 s) and some room for its answer. */
    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(25);
    /** A body over the limit up to this size is read and dropped before the 413, so the client gets its answer. */
    static final long MAX_DRAINED_BYTES = 4L * ApiConfig.MAX_REQUEST_BYTES;

    /** What {@link #close()} waits for requests in flight: a long poll left waiting is cut off. */
    public static final Duration CLOSE_DRAIN = Duration.ofSeconds(1);
    private static final Duration LEAVE_GRACE = Duration.ofMillis(500);
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** The JDK server's switch for TCP_NODELAY on its connections (off unless set). */
    static final String NO_DELAY = "sun.net.httpserver.nodelay";

    static {
        // Nagle's algorithm holds an answer's last segment until the client acknowledges the one
        // before, and clients delay that acknowledgement by up to 40 ms: every answer of more than
        // one segment (a receive of ten 1 KB messages) came about 40 ms late. The JDK server reads
        // the switch once, when its first server starts.
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;
    private final InFlight inFlight = new InFlight();

    private LocalHttpServer(HttpServer server, ExecutorService executor, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
        this.server = server;
        this.executor = executor;
        this.handler = handler;
    }

    /**
     * Binds {@code host:port} (0 for a free port) and starts serving.
     *
     * @throws PortInUseException when the port is taken
     */
    public static LocalHttpServer start(String host, int port, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 128);
        } catch (BindException e) {
            throw new PortInUseException("port " + port + " on " + host + " is already in use (another ./shoal local?); "
                    + "stop that process or choose another port with --port", e);
        } catch (IOException e) {
            throw new IllegalStateException("could not listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        LocalHttpServer local = new LocalHttpServer(server, executor, handler);
        server.setExecutor(executor);
        server.createContext("/", local::serve);
        server.start();
        return local;
    }

    /** The port is taken. */
    public static final class PortInUseException extends IllegalStateException {
        PortInUseException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public URI endpoint() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getHostString() + ":" + a.getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        if (!inFlight.enter()) {
            refuseWhileStopping(exchange);
            return;
        }
        try {
            serveAdmitted(exchange);
        } finally {
            inFlight.leave();
        }
    }

    private void serveAdmitted(HttpExchange exchange) throws IOException {
        try (exchange) {
            APIGatewayV2HTTPResponse response;
            String length = exchange.getRequestHeaders().getFirst("Content-Length");
            byte[] body;
            boolean drained = true;
            if (length != null && parseLong(length) > ApiConfig.MAX_REQUEST_BYTES) {
                response = ApiEvents.toEvent(ApiRouter.payloadTooLarge(ApiEvents.toRequest(toEvent(exchange, new byte[0])), parseLong(length)));
                // read what is reasonable and drop it: closing while the client still sends would reset the
                // connection, and the client would lose the 413 along with it
                drained = parseLong(length) <= MAX_DRAINED_BYTES && discard(exchange.getRequestBody(), MAX_DRAINED_BYTES);
            } else {
                body = readAtMost(exchange.getRequestBody(), ApiConfig.MAX_REQUEST_BYTES + 1);
                if (body.length > ApiConfig.MAX_REQUEST_BYTES) {
                    response = ApiEvents.toEvent(ApiRouter.payloadTooLarge(ApiEvents.toRequest(toEvent(exchange, new byte[0])), body.length));
                    drained = discard(exchange.getRequestBody(), MAX_DRAINED_BYTES);
                } else {
                    response = invoke(exchange, body);
                }
            }
            write(exchange, response, !drained);
        } catch (RuntimeException e) {
            LOG.error("request failed outside the handler", e);
            exchange.sendResponseHeaders(500, -1);
        }
    }

    private APIGatewayV2HTTPResponse invoke(HttpExchange exchange, byte[] body) {
        return handler.apply(toEvent(exchange, body));
    }

    static APIGatewayV2HTTPEvent toEvent(HttpExchange exchange, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        URI uri = exchange.getRequestURI();
        String rawQuery = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        Instant now = Clock.systemUTC().instant(); // the local stand-in for API Gateway: wiring
        String contentType = headers.getOrDefault("content-type", "");
        // a text body that is not valid UTF-8 travels as base64, as it arrived: decoding it would
        // change its bytes, and then its SigV4 payload hash, so bad input would look like a bad signature
        boolean text = body.length == 0 || (ApiEvents.isText(contentType) && Utf8Text.decode(body).isPresent());
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(uri.getRawPath())
                .withRawQueryString(rawQuery)
                .withHeaders(headers)
                .withQueryStringParameters(rawQuery.isEmpty() ? null : query(rawQuery))
                .withBody(body.length == 0 ? null : text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(!text)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRouteKey("$default")
                        .withStage("$default")
                        .withAccountId("000000000000")
                        .withApiId("local")
                        .withDomainName(headers.getOrDefault("host", "localhost"))
                        .withRequestId(UUID.randomUUID().toString())
                        .withTime(REQUEST_TIME.format(now))
                        .withTimeEpoch(now.toEpochMilli())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(exchange.getRequestMethod())
                                .withPath(uri.getRawPath())
                                .withProtocol(exchange.getProtocol())
                                .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                                .withUserAgent(headers.getOrDefault("user-agent", ""))
                                .build())
                        .build())
                .build();
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.merge(name, value, (a, b) -> a + "," + b); // API Gateway joins repeated parameters
        }
        return params;
    }

    private static void write(HttpExchange exchange, APIGatewayV2HTTPResponse response, boolean closeAfter) throws IOException {
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        }
        if (closeAfter) {
            // the body was not read: the connection cannot be reused
            exchange.getResponseHeaders().set("connection", "close");
        }
        String body = response.getBody();
        byte[] bytes = body == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        boolean noBody = bytes.length == 0 || response.getStatusCode() == 204 || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(response.getStatusCode(), noBody ? -1 : bytes.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Reads and drops the rest of a body; true when it ended within {@code max} bytes. */
    private static boolean discard(InputStream in, long max) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long read = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            read += n;
            if (read > max) return false;
        }
        return true;
    }

    private static byte[] readAtMost(InputStream in, int max) throws IOException {
        return in.readNBytes(max);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * A request that came in on a kept-alive connection after shutdown began: nothing of it is
     * done; 503 tells every client to retry (elsewhere, or after the restart).
     */
    private static void refuseWhileStopping(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = "{\"code\":\"ServiceUnavailable\",\"message\":\"the server is stopping; retry the request\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.getResponseHeaders().set("retry-after", "1");
            exchange.getResponseHeaders().set("connection", "close");
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** How many requests are being served now. */
    int inFlight() {
        return inFlight.count();
    }

    /**
     * Stops gracefully: closes the listening socket and admits no new request at once, lets the
     * requests in flight finish for up to {@code drain}, then closes every connection and
     * interrupts what is left. Waits no longer than needed: it returns as soon as the last
     * request in flight has been answered.
     *
     * @return true when every request in flight was answered within {@code drain}
     */
    public boolean stop(Duration drain) {
        inFlight.close();
        // the JDK server closes its socket at once, then waits for its exchanges up to the delay
        server.stop((int) Math.max(1, (drain.toMillis() + 999) / 1000));
        boolean drained;
        try {
            // a handler leaves a moment after the JDK counts its exchange written
            drained = inFlight.awaitIdle(LEAVE_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        if (!drained) {
            LOG.warn("{} requests still in flight after {}; interrupting them", inFlight.count(), drain);
        }
        executor.shutdownNow();
        return drained;
    }

    /**
     * {@link #stop(Duration)} with a short drain ({@link #CLOSE_DRAIN}): for tests and embedders
     * that are done with the server. A clean stop of the local stack calls {@link #stop(Duration)}
     * with {@link #DEFAULT_DRAIN}, long enough for the longest long poll.
     */
    @Override
    public void close() {
        stop(CLOSE_DRAIN);
    }
}
