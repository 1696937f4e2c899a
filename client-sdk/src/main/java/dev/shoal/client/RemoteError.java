package dev.shoal.client;

import java.util.Optional;

/**
 * Implemented by the exceptions the HTTP transport raises for an error response, beside the
 * storage layer's error kind they extend ({@link dev.shoal.storage.api.InvalidRequestException},
 * {@link dev.shoal.storage.api.NotFoundException}, ...), whose {@code code()} and
 * {@code getMessage()} are the API's {@code code} and {@code message}.
 */
public interface RemoteError {

    /** The response's HTTP status. */
    int httpStatus();

    /** API Gateway's request id ({@code apigw-requestid}), to quote in a support case. */
    Optional<String> requestId();
}
