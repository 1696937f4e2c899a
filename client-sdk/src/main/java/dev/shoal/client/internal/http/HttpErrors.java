package dev.shoal.client.internal.http;

import dev.shoal.client.RemoteError;
import dev.shoal.client.internal.http.Wire.ErrorBody;
import dev.shoal.storage.api.CommitStateUnknownException;
import dev.shoal.storage.api.ConflictException;
import dev.shoal.storage.api.InvalidReceiptException;
import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.NotFoundException;
import dev.shoal.storage.api.RetryableException;
import dev.shoal.storage.api.ShoalException;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Error responses to the storage layer's error kinds, so that callers handle both transports
 * the same way. The status decides the kind (4xx: fix the call; 429 and 5xx: passing), the body's
 * {@code code} and {@code message} are kept as they are. A produce that fails with 500, 502 or
 * 504 may have been committed before the failure: it becomes CommitStateUnknown, which is only
 * retried when the produce is idempotent.
 */
final class HttpErrors {

    private HttpErrors() {
    }

    static ShoalException fromResponse(int status, byte[] body, Optional<String> requestId, boolean produce) {
        ErrorBody e = WireJson.readOrNull(body, ErrorBody.class);
        String code = e != null && e.code() != null ? e.code() : defaultCode(status);
        String message = e != null && e.message() != null ? e.message() : text(status, body);
        if (status == 403 || status == 401) {
            message += " (HTTP " + status + ": check the credentials, the region the request was signed for, and that the caller may execute-api:Invoke this API)";
        }
        String field = e == null ? null : e.field();
        if (produce && (status == 500 || status == 502 || status == 504)) {
            return new RemoteCommitStateUnknown(code, "the produce may or may not have been committed (HTTP " + status + "): " + message,
                    status, requestId);
        }
        return of(status, code, message, field, requestId);
    }

    /** One entry's error in an ack, nack or visibility batch: the kind follows from its code. */
    static ShoalException entry(String code, String message, String field, Optional<String> requestId) {
        String c = code == null ? "InternalError" : code;
        return of(statusOf(c), c, message == null ? c : message, field, requestId);
    }

    private static ShoalException of(int status, String code, String message, String field, Optional<String> requestId) {
        if (status == 429 || status >= 500) {
            return "CommitStateUnknown".equals(code) ? new RemoteCommitStateUnknown(code, message, status, requestId)
                    : new RemoteRetryable(code, message, status, requestId);
        }
        if (status == 404) {
            return new RemoteNotFound(code, message, status, requestId);
        }
        if (status == 409) {
            return new RemoteConflict(code, message, status, requestId);
        }
        if ("ReceiptHandleIsInvalid".equals(code)) {
            return new RemoteInvalidReceipt(message, status, requestId);
        }
        return new RemoteInvalidRequest(code, field == null ? "request" : field, message, status, requestId);
    }

    private static int statusOf(String code) {
        return switch (code) {
            case "InvalidRequest", "ReceiptHandleIsInvalid" -> 400;
            case "ServiceUnavailable", "CommitStateUnknown" -> 503;
            case "InternalError" -> 500;
            default -> code.endsWith("NotFound") ? 404 : 409;
        };
    }

    private static String defaultCode(int status) {
        return switch (status) {
            case 400 -> "InvalidRequest";
            case 401 -> "Unauthorized";
            case 403 -> "AccessDenied";
            case 404 -> "RouteNotFound";
            case 413 -> "PayloadTooLarge";
            case 429 -> "TooManyRequests";
            case 502 -> "BadGateway";
            case 503 -> "ServiceUnavailable";
            case 504 -> "GatewayTimeout";
            default -> status >= 500 ? "InternalError" : "HttpError" + status;
        };
    }

    private static String text(int status, byte[] body) {
        if (body == null || body.length == 0) {
            return "HTTP " + status;
        }
        String s = new String(body, StandardCharsets.UTF_8);
        return "HTTP " + status + ": " + (s.length() > 300 ? s.substring(0, 300) + "..." : s);
    }

    private static String suffix(Optional<String> requestId) {
        return requestId.map(id -> " [request " + id + "]").orElse("");
    }

    static final class RemoteInvalidRequest extends InvalidRequestException implements RemoteError {
        private final String code;
        private final String message;
        private final int status;
        private final Optional<String> requestId;

        RemoteInvalidRequest(String code, String field, String message, int status, Optional<String> requestId) {
            super(field, message);
            this.code = code;
            this.message = message + suffix(requestId);
            this.status = status;
            this.requestId = requestId;
        }

        @Override public String code() { return code; }
        @Override public String getMessage() { return message; }
        @Override public int httpStatus() { return status; }
        @Override public Optional<String> requestId() { return requestId; }
    }

    static final class RemoteInvalidReceipt extends InvalidReceiptException implements RemoteError {
        private final String message;
        private final int status;
        private final Optional<String> requestId;

        RemoteInvalidReceipt(String message, int status, Optional<String> requestId) {
            super(message);
            this.message = message + suffix(requestId);
            this.status = status;
            this.requestId = requestId;
        }

        @Override public String getMessage() { return message; }
        @Override public int httpStatus() { return status; }
        @Override public Optional<String> requestId() { return requestId; }
    }

    static final class RemoteNotFound extends NotFoundException implements RemoteError {
        private final int status;
        private final Optional<String> requestId;

        RemoteNotFound(String code, String message, int status, Optional<String> requestId) {
            super(code, message + suffix(requestId));
            this.status = status;
            this.requestId = requestId;
        }

        @Override public int httpStatus() { return status; }
        @Override public Optional<String> requestId() { return requestId; }
    }

    static final class RemoteConflict extends ConflictException implements RemoteError {
        private final int status;
        private final Optional<String> requestId;

        RemoteConflict(String code, String message, int status, Optional<String> requestId) {
            super(code, message + suffix(requestId));
            this.status = status;
            this.requestId = requestId;
        }

        @Override public int httpStatus() { return status; }
        @Override public Optional<String> requestId() { return requestId; }
    }

    static final class RemoteRetryable extends RetryableException implements RemoteError {
        private final String code;
        private final int status;
        private final Optional<String> requestId;

        RemoteRetryable(String code, String message, int status, Optional<String> requestId) {
            super(message + suffix(requestId), null);
            this.code = code;
            this.status = status;
            this.requestId = requestId;
        }

        @Override public String code() { return code; }
        @Override public int httpStatus() { return status; }
        @Override public Optional<String> requestId() { return requestId; }
    }

    static final class RemoteCommitStateUnknown extends CommitStateUnknownException implements RemoteError {
        private final String code;
        private final int status;
        private final Optional<String> requestId;

        RemoteCommitStateUnknown(String code, String message, int status, Optional<String> requestId) {
            super(message + suffix(requestId), null);
            this.code = code;
            this.status = status;
            this.requestId = requestId;
        }

        @Override public String code() { return code; }
        @Override public int httpStatus() { return status; }
        @Override public Optional<String> requestId() { return requestId; }
    }
}
