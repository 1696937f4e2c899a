package dev.shoal.it.dispatch;

import dev.shoal.functions.api.ApiConfig;
import dev.shoal.functions.api.ApiHandler;
import dev.shoal.functions.api.ApiRouter;
import dev.shoal.functions.local.LocalHttpServer;
import dev.shoal.storage.ShoalEngine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Shoal's HTTP API (native and SQS) over a real loopback socket on a dispatch stack's engine, so
 * the functions a dispatcher invokes can call back with the event's receipt handles, and an AWS
 * SDK {@link SqsClient} for them: the local stack's keys, account and region.
 */
final class SqsFace implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final LocalHttpServer server;
    final SqsClient sqs;

    SqsFace(ShoalEngine engine) {
        ApiHandler handler = new ApiHandler(new ApiRouter(engine, ApiConfig.local()));
        this.server = LocalHttpServer.start("127.0.0.1", 0, event -> handler.handleRequest(event, null));
        this.sqs = SqsClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    URI endpoint() {
        return server.endpoint();
    }

    /** A native API call; returns the status and body. */
    HttpResponse<String> call(String method, String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(server.endpoint().resolve(path)).header("content-type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        sqs.close();
        server.close();
    }
}
