package dev.shoal.functions.api.v1;

import dev.shoal.functions.api.ApiException;
import dev.shoal.functions.api.HttpRequest;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Query parameters of a route, refusing any the route does not know (a typo is not a default). */
final class QueryParameters {

    private QueryParameters() {
    }

    static Map<String, String> only(HttpRequest r, Set<String> allowed) {
        Map<String, String> params = r.queryParameters();
        for (String name : params.keySet()) {
            if (!allowed.contains(name)) {
                throw new ApiException(400, "UnknownField", name, "unknown query parameter '" + name + "'"
                        + (allowed.isEmpty() ? "; this route takes none" : "; allowed: " + String.join(", ", new TreeSet<>(allowed))));
            }
        }
        return params;
    }
}
