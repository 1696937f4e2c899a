package dev.shoal.storage.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The emulators accept any credentials, so the only thing that keeps other machines away from
 * the queues, leases and deduplication ids of {@code ./shoal local} is where they listen.
 */
class EmulatorsListenOnLoopbackOnlyTest {

    private static EmbeddedAws aws;

    @BeforeAll
    static void start() {
        aws = EmbeddedAws.startInMemory();
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    @Test
    void dynamoDbLocalListensOnlyOn127001() {
        assertOnlyLoopbackListensOn(aws.dynamoEndpoint().getPort());
    }

    @Test
    void theS3EmulatorListensOnlyOn127001() {
        assertOnlyLoopbackListensOn(aws.s3Endpoint().getPort());
    }

    @Test
    void neitherEmulatorAnswersOnAnotherAddressOfThisMachine() {
        Optional<InetAddress> other = nonLoopbackAddress();
        assumeTrue(other.isPresent(), "this machine has no address besides loopback");
        for (int port : List.of(aws.dynamoEndpoint().getPort(), aws.s3Endpoint().getPort())) {
            assertThrows(IOException.class, () -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(other.get(), port), 2_000);
                }
            }, "port " + port + " answered on " + other.get());
        }
    }

    @Test
    void bothEmulatorsStillServeOnLoopback() {
        try (var dynamo = aws.dynamoClient(c -> { }); var s3 = aws.s3Client(c -> { })) {
            dynamo.createTable(b -> b.tableName("loopback-check")
                    .keySchema(k -> k.attributeName("p").keyType("HASH"))
                    .attributeDefinitions(a -> a.attributeName("p").attributeType("S"))
                    .billingMode("PAY_PER_REQUEST"));
            assertTrue(dynamo.listTables().tableNames().contains("loopback-check"));
            s3.createBucket(b -> b.bucket("loopback-check"));
            assertTrue(s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("loopback-check")));
        }
    }

    private static void assertOnlyLoopbackListensOn(int port) {
        assumeTrue(ListeningSockets.available(), "no /proc/net/tcp on this system");
        List<InetAddress> listening = ListeningSockets.onPort(port);
        assertFalse(listening.isEmpty(), "nothing listens on port " + port);
        for (InetAddress address : listening) {
            assertTrue(address.isLoopbackAddress(), "port " + port + " listens on " + address.getHostAddress());
        }
        assertEquals(List.of(InetAddress.getLoopbackAddress()), listening.stream().distinct().toList());
    }

    private static Optional<InetAddress> nonLoopbackAddress() {
        try {
            return NetworkInterface.networkInterfaces()
                    .filter(EmulatorsListenOnLoopbackOnlyTest::isUpAndNotLoopback)
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                    .findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    private static boolean isUpAndNotLoopback(NetworkInterface nic) {
        try {
            return nic.isUp() && !nic.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }
}
