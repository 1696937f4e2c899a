package dev.shoal.storage.local;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import software.amazon.dynamodb.services.local.main.CommandLineInput;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBRequestHandler;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBServerHandler;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DynamoDB Local's HTTP server, bound to 127.0.0.1 only.
 *
 * <p>Why not {@code ServerRunner}: its server ({@code DynamoDBProxyServer}) builds a Jetty
 * {@code Server(port)}, which listens on every interface, and DynamoDB Local accepts any
 * credentials, so anyone on the network could read and rewrite queues and leases. This class
 * wires the same request handler (the one {@code ServerRunner.createServer} builds from the
 * same command line) into a Jetty server with a single loopback connector. The port is picked
 * by the kernel at bind time (port 0), so there is no window in which another process can take
 * a port chosen in advance.
 */
final class LoopbackDynamoDb implements AutoCloseable {

    static final String HOST = "127.0.0.1";

    private final Server jetty;
    private final LocalDynamoDBServerHandler handler;
    private final int port;

    private LoopbackDynamoDb(Server jetty, LocalDynamoDBServerHandler handler, int port) {
        this.jetty = jetty;
        this.handler = handler;
        this.port = port;
    }

    /** Starts the server, data in memory when {@code dataDir} is empty, else in sqlite files there. */
    static LoopbackDynamoDb start(Optional<Path> dataDir) throws Exception {
        // ServerRunner sets these in its static initialiser; we do not load it, so set them here
        System.setProperty("org.eclipse.jetty.util.log.announce", "false");
        CommandLineInput input = new CommandLineInput(arguments(dataDir));
        if (!input.init()) {
            throw new IllegalStateException("DynamoDB Local rejected its command line " + List.of(arguments(dataDir)));
        }
        var requestHandler = new LocalDynamoDBRequestHandler(0, input.isInMemory(), input.getDbPath(), input.getSharedDb(),
                input.shouldDelayTransientStatuses());
        var handler = new LocalDynamoDBServerHandler(requestHandler, input.getCorsParams());
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(HOST);
        connector.setPort(0);
        jetty.addConnector(connector);
        ContextHandler context = new ContextHandler();
        context.setHandler(handler);
        jetty.setHandler(new ContextHandlerCollection(context));
        try {
            jetty.start();
        } catch (Exception e) {
            handler.close();
            throw e;
        }
        return new LoopbackDynamoDb(jetty, handler, connector.getLocalPort());
    }

    private static String[] arguments(Optional<Path> dataDir) {
        // the port argument is required by the parser but not used: the connector binds port 0
        List<String> args = new ArrayList<>(List.of("-port", "8000", "-disableTelemetry"));
        if (dataDir.isPresent()) {
            args.addAll(List.of("-dbPath", dataDir.get().toString(), "-sharedDb"));
        } else {
            args.addAll(List.of("-inMemory", "-sharedDb"));
        }
        return args.toArray(String[]::new);
    }

    URI endpoint() {
        return URI.create("http://" + HOST + ":" + port);
    }

    /** Stops accepting, lets Jetty finish what it holds, then closes the database. */
    @Override
    public void close() throws Exception {
        try {
            jetty.stop();
        } finally {
            handler.close();
        }
    }
}
