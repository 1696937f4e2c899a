package dev.shoal.it;

import dev.shoal.functions.api.ApiConfig;
import dev.shoal.functions.api.ApiHandler;
import dev.shoal.functions.api.ApiRouter;
import dev.shoal.functions.local.LocalHttpServer;
import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.testing.AwsFixture;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * Shoal over real HTTP for one test: the real engine on the test's tables and bucket, behind
 * the same ApiHandler and local HTTP server the launcher uses, on a free loopback port.
 */
final class ShoalServer implements AutoCloseable {

    private final ShoalEngine engine;
    private final LocalHttpServer server;

    private ShoalServer(ShoalEngine engine, LocalHttpServer server) {
        this.engine = engine;
        this.server = server;
    }

    static ShoalServer start(AwsFixture aws) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        ShoalEngine engine = ShoalEngine.builder()
                .dynamo(aws.dynamo())
                .s3(aws.s3())
                .tables(aws.tables())
                .bucket(aws.bucket())
                .clock(Clock.systemUTC())
                .receiptSecret(secret)
                .build();
        ApiHandler handler = new ApiHandler(new ApiRouter(engine, ApiConfig.local()));
        return new ShoalServer(engine, LocalHttpServer.start("127.0.0.1", 0, event -> handler.handleRequest(event, null)));
    }

    URI endpoint() {
        return server.endpoint();
    }

    ShoalEngine engine() {
        return engine;
    }

    NativeClient client() {
        return new NativeClient(endpoint());
    }

    @Override
    public void close() {
        server.close();
    }
}
