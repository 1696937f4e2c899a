package dev.shoal.storage.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Message bodies are bytes; JSON faces (the API, the SDK, trigger events) carry them as text
 * when they are valid UTF-8 and as base64 otherwise. This decides which, strictly: a body that
 * is not valid UTF-8 is never "repaired" into different bytes.
 */
public final class Utf8Text {

    private Utf8Text() {
    }

    /** The bytes as text if they are valid UTF-8, else empty. */
    public static Optional<String> decode(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
