package dev.shoal.functions.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.functions.api.ApiEvents;
import dev.shoal.functions.api.HttpRequest;
import dev.shoal.functions.api.HttpResponse;
import dev.shoal.functions.api.Json;
import dev.shoal.storage.metering.Meter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What the local launcher serves beside the API, which Lambda never routes: the web console's
 * files at {@code GET /} and {@code GET /console/*}, {@code GET /local/usage} (what the traffic
 * since start would cost on AWS, see {@link Usage}) and {@code GET /local/rates} (messages
 * produced and acked per queue, see {@link TrafficMeter}). Every other request goes to the API
 * handler, and its answer is counted by the traffic meter.
 */
final class LocalRoutes implements Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final String ASSETS = "/dev/shoal/functions/local/console/";
    private static final Pattern ASSET_NAME = Pattern.compile("[a-z0-9-]+\\.(html|js|css)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    private final Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api;
    private final Meter meter;
    private final TrafficMeter traffic;
    private final Instant since;

    LocalRoutes(Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api, Meter meter, Clock clock) {
        this.api = api;
        this.meter = meter;
        this.traffic = new TrafficMeter(clock);
        this.since = clock.instant();
    }

    @Override
    public APIGatewayV2HTTPResponse apply(APIGatewayV2HTTPEvent event) {
        HttpRequest request;
        try {
            request = ApiEvents.toRequest(event);
        } catch (IllegalArgumentException badBase64) {
            return api.apply(event); // the API handler answers it, as it would in Lambda
        }
        String path = request.path();
        boolean read = request.method().equals("GET") || request.method().equals("HEAD");
        if (read && (path.equals("/") || path.startsWith("/console/"))) {
            return ApiEvents.toEvent(asset(path.equals("/") ? "index.html" : path.substring("/console/".length())));
        }
        if (path.startsWith("/local/")) {
            return ApiEvents.toEvent(local(request, read));
        }
        APIGatewayV2HTTPResponse response = api.apply(event);
        if (!path.equals("/health")) {
            traffic.observe(request, response.getStatusCode(), body(response));
        }
        return response;
    }

    /** The usage since start, for the shutdown line and the console. */
    Usage usage() {
        return new Usage(since, meter.snapshot(), traffic.apiCalls(), traffic.sqsRequests(), traffic.sqsFifoRequests());
    }

    private HttpResponse local(HttpRequest request, boolean read) {
        String path = request.path();
        if (!path.equals("/local/usage") && !path.equals("/local/rates")) {
            return HttpResponse.json(404, "{\"code\":\"RouteNotFound\",\"message\":\"no route " + request.method() + " " + path
                    + "; the local routes are GET /local/usage and GET /local/rates\"}");
        }
        if (!read) {
            return HttpResponse.json(405, "{\"code\":\"MethodNotAllowed\",\"message\":\"" + request.method() + " is not allowed on "
                    + path + "; allowed: GET\"}").withHeader("allow", "GET");
        }
        return HttpResponse.json(200, path.equals("/local/usage") ? usage().json() : rates(), HttpResponse.JSON);
    }

    private byte[] rates() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("bucketSeconds", TrafficMeter.BUCKET_SECONDS);
        ObjectNode queues = root.putObject("queues");
        traffic.rates().forEach((queue, r) -> {
            ObjectNode q = queues.putObject(queue);
            ArrayNode produced = q.putArray("produced");
            for (long n : r.produced()) produced.add(n);
            ArrayNode acked = q.putArray("acked");
            for (long n : r.acked()) acked.add(n);
        });
        return Json.write(root);
    }

    private static HttpResponse asset(String name) {
        if (!ASSET_NAME.matcher(name).matches()) {
            return notFound(name);
        }
        try (InputStream in = LocalRoutes.class.getResourceAsStream(ASSETS + name)) {
            if (in == null) return notFound(name);
            String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            return HttpResponse.json(200, in.readAllBytes(), type).withHeader("cache-control", "no-cache");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse notFound(String name) {
        return HttpResponse.json(404, "{\"code\":\"RouteNotFound\",\"message\":\"the console has no file " + name.replace("\"", "")
                + "\"}");
    }

    private static byte[] body(APIGatewayV2HTTPResponse response) {
        String body = response.getBody();
        if (body == null) return new byte[0];
        return response.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    }
}
