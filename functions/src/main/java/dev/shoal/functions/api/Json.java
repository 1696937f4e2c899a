package dev.shoal.functions.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.io.IOException;
import java.util.stream.Collectors;

/**
 * The one JSON mapper of the API, strict on input: unknown fields, duplicate fields, trailing
 * content and type coercions (a number where text is expected, "true" for a boolean) are
 * errors that name the field, so a typo never silently means "use the default".
 */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .withCoercionConfigDefaults(c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert))
            .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
            .build();

    private Json() {
    }

    /** Reads a request body into {@code type}, turning every Jackson failure into a 400 that names the field. */
    public static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw new ApiException(400, "MalformedJson", null, "the request needs a JSON body (an object)");
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw new ApiException(400, "MalformedJson", null, "the request body must be a JSON object, was null");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            throw new ApiException(400, "UnknownField", field, "unknown field '" + field + "'; allowed here: "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")));
        } catch (MismatchedInputException e) {
            String field = path(e);
            if (field.isEmpty()) {
                throw new ApiException(400, "MalformedJson", null, "the request body must be a JSON object");
            }
            throw ApiException.invalid(field, "must be " + expected(e.getTargetType()) + detail(e));
        } catch (JsonMappingException e) {
            // a record's constructor threw (our own validation), the text broke off inside a
            // value (a parse error wrapped with its path), or a structural mismatch
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime && !(cause instanceof JsonProcessingException)) {
                throw runtime;
            }
            if (cause instanceof JsonProcessingException parse && !(cause instanceof JsonMappingException)) {
                throw malformed(parse);
            }
            String field = path(e);
            throw ApiException.invalid(field.isEmpty() ? "body" : field, e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new ApiException(400, "MalformedJson", null, "the request body could not be read: " + e.getMessage());
        }
    }

    private static ApiException malformed(JsonProcessingException e) {
        return new ApiException(400, "MalformedJson", null, "the request body is not valid JSON: " + e.getOriginalMessage()
                + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")" : ""));
    }

    public static JsonNode tree(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new ApiException(400, "MalformedJson", null, "the request body is not valid JSON: " + e.getMessage());
        }
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write JSON", e);
        }
    }

    /** "messages[3].attributes.color", from Jackson's reference path. */
    static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!b.isEmpty()) b.append('.');
                b.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                b.append('[').append(ref.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) return "of another type";
        if (type == String.class) return "a string";
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) return "an integer";
        if (type == Double.class || type == double.class) return "a number";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        if (java.util.List.class.isAssignableFrom(type)) return "an array";
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) return "an object";
        return "a " + type.getSimpleName();
    }

    private static String detail(MismatchedInputException e) {
        return e instanceof InvalidFormatException f && f.getValue() != null ? ", was " + f.getValue() : "";
    }
}
