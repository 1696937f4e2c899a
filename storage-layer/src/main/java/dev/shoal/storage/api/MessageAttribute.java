package dev.shoal.storage.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A typed message attribute, as SQS has them: a data type ({@code String}, {@code Number},
 * {@code Binary}, optionally with a custom suffix such as {@code Number.int}) and a value.
 * String and Number values are held as UTF-8 bytes.
 */
public record MessageAttribute(String dataType, byte[] value) {

    public MessageAttribute {
        Objects.requireNonNull(dataType, "dataType");
        Objects.requireNonNull(value, "value");
        value = value.clone();
    }

    public static MessageAttribute string(String value) {
        return new MessageAttribute("String", value.getBytes(StandardCharsets.UTF_8));
    }

    public static MessageAttribute number(String value) {
        return new MessageAttribute("Number", value.getBytes(StandardCharsets.UTF_8));
    }

    public static MessageAttribute binary(byte[] value) {
        return new MessageAttribute("Binary", value);
    }

    /** True for Binary and its custom subtypes; the value is then raw bytes, not text. */
    public boolean isBinary() {
        return dataType.startsWith("Binary");
    }

    /** The value as text; only meaningful for String and Number types. */
    public String stringValue() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageAttribute other
                && dataType.equals(other.dataType) && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * dataType.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return dataType + ":" + (isBinary() ? value.length + " bytes" : stringValue());
    }
}
