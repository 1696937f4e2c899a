package dev.shoal.functions.api.sqs;

import dev.shoal.storage.api.MessageAttribute;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The digests must be exactly what the AWS SDK computes, since SqsClient rejects any other. */
class SqsMd5Test {

    @Test
    void bodyDigestIsTheMd5OfItsUtf8Bytes() {
        assertEquals("5d41402abc4b2a76b9719d911017c592", SqsMd5.ofBody("hello"));
        assertEquals(sdkBodyMd5("grüße 🐟"), SqsMd5.ofBody("grüße 🐟"));
    }

    @Test
    void attributeDigestMatchesTheSdksForEveryType() throws Exception {
        Map<String, MessageAttribute> ours = new LinkedHashMap<>();
        Map<String, MessageAttributeValue> sdk = new LinkedHashMap<>();
        // inserted out of name order: the digest sorts by name
        ours.put("zeta", MessageAttribute.string("last"));
        sdk.put("zeta", MessageAttributeValue.builder().dataType("String").stringValue("last").build());
        ours.put("count", new MessageAttribute("Number.int", "42".getBytes()));
        sdk.put("count", MessageAttributeValue.builder().dataType("Number.int").stringValue("42").build());
        ours.put("blob", MessageAttribute.binary(new byte[]{0, 1, (byte) 0xff}));
        sdk.put("blob", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromByteArray(new byte[]{0, 1, (byte) 0xff})).build());
        ours.put("ünï", MessageAttribute.string("çødé"));
        sdk.put("ünï", MessageAttributeValue.builder().dataType("String").stringValue("çødé").build());
        assertEquals(sdkAttributesMd5(sdk), SqsMd5.ofAttributes(ours));
    }

    @Test
    void noAttributesHaveNoDigest() {
        assertNull(SqsMd5.ofAttributes(Map.of()));
    }

    /** The SDK's own implementation, the one SqsClient checks responses with. */
    private static String sdkAttributesMd5(Map<String, MessageAttributeValue> attributes) throws Exception {
        Class<?> interceptor = Class.forName("software.amazon.awssdk.services.sqs.internal.MessageMD5ChecksumInterceptor");
        Method m = interceptor.getDeclaredMethod("calculateMessageAttributesMd5", Map.class);
        m.setAccessible(true);
        return (String) m.invoke(null, attributes);
    }

    private static String sdkBodyMd5(String body) {
        try {
            Class<?> interceptor = Class.forName("software.amazon.awssdk.services.sqs.internal.MessageMD5ChecksumInterceptor");
            Method m = interceptor.getDeclaredMethod("calculateMessageBodyMd5", String.class);
            m.setAccessible(true);
            return (String) m.invoke(null, body);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
