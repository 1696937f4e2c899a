package dev.shoal.it.dispatch;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs a {@code RequestHandler<SQSEvent, SQSBatchResponse>} as the Java Lambda runtime does: the
 * event read and the answer written by aws-lambda-java-serialization, a thrown exception turned
 * into a function error. {@link #invokeApi} serves it behind a loopback stand-in of Lambda's
 * Invoke API (the fake the tests use for the Lambda Runtime side; the dispatcher's client is the
 * real SDK).
 */
final class JavaRuntime {

    private static final PojoSerializer<SQSEvent> EVENTS =
            LambdaEventSerializers.serializerFor(SQSEvent.class, JavaRuntime.class.getClassLoader());
    private static final PojoSerializer<SQSBatchResponse> ANSWERS =
            LambdaEventSerializers.serializerFor(SQSBatchResponse.class, JavaRuntime.class.getClassLoader());

    private JavaRuntime() {
    }

    /** What the function returned, as JSON; throws what the handler threw. */
    static byte[] invoke(RequestHandler<SQSEvent, SQSBatchResponse> handler, byte[] event) {
        SQSBatchResponse answer = handler.handleRequest(EVENTS.fromJson(new ByteArrayInputStream(event)), null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ANSWERS.toJson(answer, out);
        return out.toByteArray();
    }

    /** Lambda's Invoke API on loopback, serving one function; {@link InvokeApi#events()} are the payloads it got. */
    static InvokeApi invokeApi(RequestHandler<SQSEvent, SQSBatchResponse> handler) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
            InvokeApi api = new InvokeApi(server);
            server.createContext("/2015-03-31/functions/", exchange -> {
                try (exchange) {
                    byte[] event = exchange.getRequestBody().readAllBytes();
                    api.events.add(new String(event, StandardCharsets.UTF_8));
                    byte[] payload;
                    try {
                        payload = invoke(handler, event);
                    } catch (RuntimeException e) {
                        exchange.getResponseHeaders().add("X-Amz-Function-Error", "Unhandled");
                        payload = ("{\"errorMessage\":\"" + e.getMessage() + "\",\"errorType\":\"" + e.getClass().getName() + "\"}")
                                .getBytes(StandardCharsets.UTF_8);
                    }
                    exchange.sendResponseHeaders(200, payload.length);
                    exchange.getResponseBody().write(payload);
                }
            });
            server.start();
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final class InvokeApi implements AutoCloseable {
        private final HttpServer server;
        private final List<String> events = new CopyOnWriteArrayList<>();

        private InvokeApi(HttpServer server) {
            this.server = server;
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        List<String> events() {
            return List.copyOf(events);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
