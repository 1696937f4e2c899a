package dev.shoal.storage.metering;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The size DynamoDB bills an item by: attribute names plus values, with strings in UTF-8,
 * numbers at about one byte per two significant digits plus one, binaries as their bytes,
 * booleans and nulls one byte, lists and maps three bytes plus one per element.
 */
final class ItemSize {

    private ItemSize() {
    }

    static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (var e : item.entrySet()) {
            size += utf8(e.getKey()) + of(e.getValue());
        }
        return size;
    }

    /** Write units for an item of this size: one per KB started. */
    static long writeUnits(Map<String, AttributeValue> item) {
        return Math.max(1, (of(item) + 1023) / 1024);
    }

    private static long of(AttributeValue v) {
        if (v.s() != null) return utf8(v.s());
        if (v.n() != null) return number(v.n());
        if (v.b() != null) return v.b().asByteArrayUnsafe().length;
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) return 1;
        if (v.hasL()) {
            long size = 3;
            for (AttributeValue e : v.l()) size += 1 + of(e);
            return size;
        }
        if (v.hasM()) {
            long size = 3;
            for (var e : v.m().entrySet()) size += 1 + utf8(e.getKey()) + of(e.getValue());
            return size;
        }
        if (v.hasSs()) return v.ss().stream().mapToLong(ItemSize::utf8).sum();
        if (v.hasNs()) return v.ns().stream().mapToLong(ItemSize::number).sum();
        if (v.hasBs()) return v.bs().stream().mapToLong(b -> b.asByteArrayUnsafe().length).sum();
        return 0;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long number(String n) {
        String digits = new BigDecimal(n).stripTrailingZeros().unscaledValue().abs().toString();
        return (digits.length() + 1) / 2 + 1;
    }
}
