package dev.shoal.functions.api.v1;

import dev.shoal.functions.api.ApiException;
import dev.shoal.functions.api.HttpRequest;
import dev.shoal.functions.api.HttpResponse;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.QueueService;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The native JSON API under {@code /v1}: matches the path, checks the method, hands the call
 * to the resource that owns it. The route table is in {@code docs/api.md}.
 */
public final class NativeApi {

    private static final Set<String> CONSUMER_ACTIONS = Set.of("receive", "ack", "nack", "visibility", "seek");

    private final QueueResource queues;
    private final ConsumerResource consumers;
    private final SubscriptionResource subscriptions;
    private final PeekResource peek;

    public NativeApi(QueueService service) {
        this.queues = new QueueResource(service);
        this.consumers = new ConsumerResource(service);
        this.subscriptions = new SubscriptionResource(service);
        this.peek = new PeekResource(service);
    }

    public HttpResponse handle(HttpRequest request) {
        try {
            return route(request);
        } catch (RuntimeException e) {
            return NativeErrors.toResponse(e);
        }
    }

    private HttpResponse route(HttpRequest r) {
        List<String> s = segments(r.path());
        String m = r.method();
        // s.get(0) is "v1"
        if (s.size() == 2 && s.get(1).equals("queues")) {
            return m.equals("GET") ? queues.list(r) : notAllowed(r, "GET");
        }
        if (s.size() < 3 || !s.get(1).equals("queues")) {
            throw notFound(r);
        }
        String queue = s.get(2);
        Limits.checkQueueNameSyntax("queue", queue);
        if (s.size() == 4 && s.get(3).equals("messages") && m.equals("GET")) {
            return peek.peek(queue, r); // the one queue route with query parameters: where to look
        }
        QueryParameters.only(r, Set.of()); // only the queue list and peek take one
        if (s.size() == 3) {
            return switch (m) {
                case "PUT" -> queues.put(queue, r);
                case "GET" -> queues.get(queue);
                case "DELETE" -> queues.delete(queue);
                default -> notAllowed(r, "GET, PUT, DELETE");
            };
        }
        String action = s.get(3);
        if (s.size() == 4) {
            if (action.equals("subscriptions")) {
                return m.equals("GET") ? subscriptions.list(queue) : notAllowed(r, "GET");
            }
            if (!m.equals("POST") && (CONSUMER_ACTIONS.contains(action) || Set.of("messages", "purge", "redrive").contains(action))) {
                return notAllowed(r, action.equals("messages") ? "GET, POST" : "POST");
            }
            return switch (action) {
                case "messages" -> consumers.produce(queue, r);
                case "purge" -> queues.purge(queue);
                case "redrive" -> queues.redrive(queue, r);
                default -> CONSUMER_ACTIONS.contains(action)
                        ? consumers.act(queue, Limits.DEFAULT_SUBSCRIPTION, action, r) : throwNotFound(r);
            };
        }
        if (!action.equals("subscriptions")) {
            throw notFound(r);
        }
        String subscription = s.get(4);
        Limits.checkSubscriptionName("subscription", subscription);
        if (s.size() == 5) {
            return switch (m) {
                case "PUT" -> subscriptions.put(queue, subscription, r);
                case "GET" -> subscriptions.get(queue, subscription);
                case "DELETE" -> subscriptions.delete(queue, subscription);
                default -> notAllowed(r, "GET, PUT, DELETE");
            };
        }
        if (s.size() == 6 && CONSUMER_ACTIONS.contains(s.get(5))) {
            return m.equals("POST") ? consumers.act(queue, subscription, s.get(5), r) : notAllowed(r, "POST");
        }
        throw notFound(r);
    }

    private static List<String> segments(String path) {
        return Arrays.stream(path.split("/"))
                .filter(p -> !p.isEmpty())
                .map(p -> URLDecoder.decode(p, StandardCharsets.UTF_8))
                .toList();
    }

    private static ApiException notFound(HttpRequest r) {
        return new ApiException(404, "RouteNotFound", null,
                "no route " + r.method() + " " + r.path() + "; the routes are listed in docs/api.md");
    }

    private static HttpResponse throwNotFound(HttpRequest r) {
        throw notFound(r);
    }

    private static HttpResponse notAllowed(HttpRequest r, String allowed) {
        return NativeErrors.toResponse(new ApiException(405, "MethodNotAllowed", null,
                r.method() + " is not allowed on " + r.path() + "; allowed: " + allowed)).withHeader("allow", allowed);
    }
}
