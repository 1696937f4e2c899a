package dev.shoal.storage.dynamodb;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/** Short helpers to read and write DynamoDB attribute values without ceremony. */
public final class Items {

    private Items() {
    }

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    public static AttributeValue n(double value) {
        return AttributeValue.fromN(Double.toString(value));
    }

    public static AttributeValue b(byte[] value) {
        return AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(value));
    }

    public static AttributeValue bool(boolean value) {
        return AttributeValue.fromBool(value);
    }

    public static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    public static long num(Map<String, AttributeValue> item, String name, long absent) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? absent : Long.parseLong(v.n());
    }

    public static double dbl(Map<String, AttributeValue> item, String name, double absent) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? absent : Double.parseDouble(v.n());
    }

    public static boolean flag(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v != null && Boolean.TRUE.equals(v.bool());
    }

    public static byte[] bytes(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.b() == null ? null : v.b().asByteArrayUnsafe();
    }
}
