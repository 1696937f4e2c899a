package dev.shoal.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Navigation of a synthesized template's JSON (nested maps and lists) for the tests. */
final class TemplateJson {

    private final Map<String, Object> template;

    TemplateJson(Map<String, Object> template) {
        this.template = template;
    }

    /** Logical id to resource (Type, Properties, ...) of every resource of the type. */
    Map<String, Map<String, Object>> resources(String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        map(template.get("Resources")).forEach((id, resource) -> {
            if (type.equals(map(resource).get("Type"))) {
                found.put(id, map(resource));
            }
        });
        return found;
    }

    Map<String, Object> resource(String logicalId) {
        return map(map(template.get("Resources")).get(logicalId));
    }

    Map<String, Object> outputs() {
        return map(template.get("Outputs"));
    }

    /** The properties of the one resource of the type whose property has the value. */
    Map<String, Object> propertiesWhere(String type, String property, Object value) {
        List<Map<String, Object>> matches = new ArrayList<>();
        resources(type).values().forEach(r -> {
            if (value.equals(properties(r).get(property))) {
                matches.add(properties(r));
            }
        });
        if (matches.size() != 1) {
            throw new AssertionError(matches.size() + " resources of type " + type + " with " + property + "=" + value);
        }
        return matches.getFirst();
    }

    /** The logical id of the one resource of the type whose property has the value. */
    String idWhere(String type, String property, Object value) {
        List<String> ids = new ArrayList<>();
        resources(type).forEach((id, r) -> {
            if (value.equals(properties(r).get(property))) {
                ids.add(id);
            }
        });
        if (ids.size() != 1) {
            throw new AssertionError(ids.size() + " resources of type " + type + " with " + property + "=" + value);
        }
        return ids.getFirst();
    }

    /** Every statement of every IAM policy attached to the role. */
    List<Map<String, Object>> statementsOfRole(String roleId) {
        List<Map<String, Object>> statements = new ArrayList<>();
        resources("AWS::IAM::Policy").values().forEach(policy -> {
            Map<String, Object> props = properties(policy);
            if (list(props.get("Roles")).contains(Map.of("Ref", roleId))) {
                statements.addAll(statements(props));
            }
        });
        return statements;
    }

    /** The role of a function, by function name. */
    String roleOfFunction(String functionName) {
        Map<String, Object> function = propertiesWhere("AWS::Lambda::Function", "FunctionName", functionName);
        return (String) list(map(function.get("Role")).get("Fn::GetAtt")).getFirst();
    }

    static List<Map<String, Object>> statements(Map<String, Object> policyProperties) {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object s : list(map(policyProperties.get("PolicyDocument")).get("Statement"))) {
            statements.add(map(s));
        }
        return statements;
    }

    static Map<String, Object> properties(Map<String, Object> resource) {
        return map(resource.get("Properties"));
    }

    /** A string or a list of them, as IAM writes Action and Resource. */
    static List<Object> oneOrMany(Object value) {
        return value instanceof List<?> l ? new ArrayList<>(l) : List.of(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        if (!(o instanceof Map)) {
            throw new AssertionError("expected an object, was " + o);
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        if (!(o instanceof List)) {
            throw new AssertionError("expected a list, was " + o);
        }
        return (List<Object>) o;
    }
}
