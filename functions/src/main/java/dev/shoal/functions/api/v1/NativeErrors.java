package dev.shoal.functions.api.v1;

import dev.shoal.functions.api.ApiException;
import dev.shoal.functions.api.HttpResponse;
import dev.shoal.functions.api.Json;
import dev.shoal.storage.api.CommitStateUnknownException;
import dev.shoal.storage.api.ConflictException;
import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.NotFoundException;
import dev.shoal.storage.api.RetryableException;
import dev.shoal.storage.api.ShoalException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps failures to the native API's error body {@code {"code", "message", "field"}} and an
 * HTTP status. The status says who acts: 4xx fix the call (nothing was written), 503 retry
 * the same call (CommitStateUnknown: a produce may have happened; retry with the same dedup
 * id or producer sequence).
 */
public final class NativeErrors {

    private static final Logger LOG = LoggerFactory.getLogger(NativeErrors.class);

    private NativeErrors() {
    }

    public record ErrorBody(String code, String message, String field) {
    }

    public static HttpResponse toResponse(RuntimeException e) {
        return switch (e) {
            case ApiException a -> body(a.status(), a.code(), a.getMessage(), a.field());
            case ShoalException s -> {
                HttpResponse r = body(status(s), s.code(), s.getMessage(), field(s));
                yield s instanceof RetryableException || s instanceof CommitStateUnknownException ? r.withHeader("retry-after", "1") : r;
            }
            case UnsupportedOperationException u -> body(501, "NotImplemented", "not available yet: " + u.getMessage(), null);
            default -> {
                LOG.error("unexpected failure", e);
                yield body(500, "InternalError", "internal error (" + e.getClass().getSimpleName() + "); it was logged", null);
            }
        };
    }

    /** The HTTP status of a service error; also used for each entry of a receipt batch. */
    public static int status(ShoalException e) {
        return switch (e) {
            case InvalidRequestException ignored -> 400;
            case NotFoundException ignored -> 404;
            case ConflictException ignored -> 409;
            case RetryableException ignored -> 503;
            case CommitStateUnknownException ignored -> 503;
            default -> 500;
        };
    }

    public static String field(ShoalException e) {
        return e instanceof InvalidRequestException i ? i.field() : null;
    }

    private static HttpResponse body(int status, String code, String message, String field) {
        return HttpResponse.json(status, Json.write(new ErrorBody(code, message, field)), HttpResponse.JSON);
    }
}
