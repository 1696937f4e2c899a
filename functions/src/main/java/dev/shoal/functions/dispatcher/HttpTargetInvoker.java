package dev.shoal.functions.dispatcher;

import dev.shoal.storage.api.PushTarget;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Push targets that are HTTP(S) endpoints: the event is POSTed as JSON and a 2xx answer's body
 * is the partial batch response. 429 and 503 mean the endpoint turned the request away before
 * doing anything (as HTTP defines them), and so does a refused or timed-out connection: those
 * are {@link InvocationOutcome.NotDelivered}. Every other status, and no answer within the
 * target's timeout, is {@link InvocationOutcome.Failed}.
 */
public final class HttpTargetInvoker implements TargetInvoker {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** A Retry-After longer than this is not believed: the subscription's own backoff caps it anyway. */
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(15);

    private final HttpClient http;

    public HttpTargetInvoker() {
        // HTTP/1.1: a webhook behind a plain server must not be asked to upgrade to h2c
        this(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build());
    }

    public HttpTargetInvoker(HttpClient http) {
        this.http = http;
    }

    @Override
    public InvocationOutcome invoke(PushTarget target, byte[] event) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(target.target()))
                    .timeout(target.timeout())
                    .header("content-type", "application/json")
                    .header("user-agent", "shoal-dispatcher")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(event))
                    .build();
        } catch (IllegalArgumentException badUrl) {
            return new InvocationOutcome.NotDelivered("not a usable URL: " + badUrl.getMessage(), null);
        }
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new InvocationOutcome.Completed(response.body());
            }
            if (status == 429 || status == 503) {
                return new InvocationOutcome.NotDelivered("HTTP " + status,
                        retryAfter(response.headers().firstValue("retry-after")).orElse(null));
            }
            return new InvocationOutcome.Failed("HTTP " + status + snippet(response.body()));
        } catch (HttpConnectTimeoutException e) {
            return new InvocationOutcome.NotDelivered("could not connect within " + CONNECT_TIMEOUT.toSeconds() + "s", null);
        } catch (HttpTimeoutException e) {
            return new InvocationOutcome.Failed("no answer within " + target.timeout().toMillis() + "ms");
        } catch (ConnectException e) {
            return new InvocationOutcome.NotDelivered("connection refused: " + e.getMessage(), null);
        } catch (IOException e) {
            return new InvocationOutcome.Failed("I/O error: " + e);
        } catch (InterruptedException e) {
            // only when the dispatcher is being shut down; the request may have been sent
            Thread.currentThread().interrupt();
            return new InvocationOutcome.Failed("interrupted");
        }
    }

    /** Retry-After in delta-seconds; an HTTP date is rare enough to fall back to the subscription's backoff. */
    static Optional<Duration> retryAfter(Optional<String> header) {
        try {
            return header.map(String::trim).map(Long::parseLong).filter(s -> s >= 0)
                    .map(s -> Duration.ofSeconds(Math.min(s, MAX_RETRY_AFTER.toSeconds())));
        } catch (NumberFormatException notSeconds) {
            return Optional.empty();
        }
    }

    static String snippet(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        return ": " + text.replaceAll("\\s+", " ").strip();
    }
}
