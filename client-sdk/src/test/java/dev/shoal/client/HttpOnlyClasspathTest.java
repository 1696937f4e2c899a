package dev.shoal.client;

import dev.shoal.client.testing.TestStack;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The HTTP transport needs no AWS service client: a client runs every kind of call from a class
 * loader that has the SDK, the storage layer's values, Jackson and the AWS signer, but no S3 or
 * DynamoDB jars (so an HTTP-only application may exclude them).
 */
@ExtendWith(EmbeddedAwsExtension.class)
class HttpOnlyClasspathTest {

    private static final Pattern STORAGE_CLIENTS = Pattern.compile(".*/(s3|dynamodb|dynamodb-enhanced|DynamoDBLocal|s3proxy)-[^/]*\\.jar");

    /** Runs inside the isolated loader: a round trip over HTTP. */
    public static final class Probe implements Function<String, String> {
        @Override
        public String apply(String endpoint) {
            try (ShoalClient client = ShoalClient.builder().endpoint(endpoint).region("us-east-1")
                    .credentialsProvider(TestStack.CREDENTIALS).build()) {
                client.createQueue("isolated");
                client.produce("isolated", List.of(dev.shoal.storage.api.NewMessage.of("hello")));
                var m = client.receive(ReceiveMessagesRequest.builder().queue("isolated").build()).getFirst();
                client.ack(AckMessagesRequest.of("isolated", "default", List.of(m.receipt())));
                return m.bodyAsString();
            }
        }
    }

    @Test
    void httpClientsRunWithoutS3OrDynamoDbOnTheClasspath(AwsFixture aws) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!STORAGE_CLIENTS.matcher(entry.replace(File.separatorChar, '/')).matches()) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        try (TestStack stack = TestStack.start(aws, TestStack.Kind.HTTP);
             URLClassLoader isolated = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertFalse(urls.size() == System.getProperty("java.class.path").split(File.pathSeparator).length,
                    "the storage clients' jars were found and left out");
            assertThrows(ClassNotFoundException.class,
                    () -> isolated.loadClass("software.amazon.awssdk.services.dynamodb.DynamoDbClient"));
            @SuppressWarnings("unchecked")
            Function<String, String> probe = (Function<String, String>) isolated.loadClass(Probe.class.getName())
                    .getConstructor().newInstance();

            assertEquals("hello", probe.apply(stack.endpoint().toString()));
        }
    }

}
