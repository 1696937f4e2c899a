package dev.shoal.functions.api.v1;

import dev.shoal.functions.api.HttpRequest;

/**
 * What a {@code PUT} of a queue or subscription may do, from its conditional headers, as HTTP
 * defines them for "the resource exists": {@code If-None-Match: *} only creates (an existing
 * resource with the same settings is a no-op, with other settings a 409), {@code If-Match: *}
 * only updates (a missing resource is a 404), neither creates or replaces.
 */
enum PutPrecondition {
    CREATE_ONLY, UPDATE_ONLY, CREATE_OR_REPLACE;

    static PutPrecondition of(HttpRequest request) {
        if (request.header("if-none-match").map(String::trim).filter("*"::equals).isPresent()) {
            return CREATE_ONLY;
        }
        if (request.header("if-match").map(String::trim).filter("*"::equals).isPresent()) {
            return UPDATE_ONLY;
        }
        return CREATE_OR_REPLACE;
    }
}
