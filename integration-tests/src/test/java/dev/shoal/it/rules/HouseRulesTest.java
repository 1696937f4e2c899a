package dev.shoal.it.rules;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The house rules (shared/STYLE.md), checked over the main sources of the modules that ship:
 * the engine, the functions, the SDK and the CLI. (The benchmark harness measures real time by
 * design, and the CDK app runs at synth time; they are not checked.) This module runs last in
 * the build, so a violation anywhere fails {@code ./shoal test}.
 */
class HouseRulesTest {

    private static final List<String> SHIPPED = List.of("storage-layer", "functions", "client-sdk", "cli");
    /** Time and randomness come in through an injected Clock, Sleeper or source; wiring uses Clock.systemUTC(). */
    private static final Pattern UNINJECTED = Pattern.compile("Instant\\.now\\(\\)|System\\.currentTimeMillis\\(\\)|new Random\\(");
    private static final int MAX_CLASS_LINES = 400;
    /**
     * A string literal that spells a DynamoDB key: a {@code prefix#} or a bare {@code "#"} joining
     * key parts, a zero-padded {@code %0Nd#} sort key, or a fixed partition/sort key of the catalog
     * and cursors. Condition placeholders ({@code "#p"}) start with the {@code #} and do not match.
     */
    private static final Pattern KEY_FORMAT = Pattern.compile("\"[a-z-]*#|\"(queues|deleted-queues|cursor)\"|%0\\d+d#");
    private static final String ENGINE = "storage-layer/src/main/java/dev/shoal/storage/";
    /** Where key formats may be written: the layout's one home. */
    private static final List<String> KEY_FORMAT_HOMES = List.of(ENGINE + "dynamodb/");
    /** The modules that call the engine through its API (QueueService): the engine's callers. */
    private static final List<String> CALLERS = List.of("functions", "client-sdk", "cli");
    /** A name in the engine's packages: a class ({@code dev.shoal.storage.x.Name}) or a wildcard import. */
    private static final Pattern ENGINE_NAME = Pattern.compile("\\bdev\\.shoal\\.storage(?:\\.[a-z]\\w*)*\\.(?:[A-Z]\\w*|\\*)");
    /**
     * What the engine's callers may name: the API package, the entry points (ShoalEngine and
     * the ErrorBoundary around it), and the wiring a deployment or the local stack needs (table
     * names, the SQS credentials secret, the embedded AWS stack, metering).
     */
    private static final Pattern ENGINE_API = Pattern.compile("dev\\.shoal\\.storage\\.(?:api\\.\\w+|ShoalEngine|ErrorBoundary"
            + "|dynamodb\\.ShoalTables|deployment\\.\\w+|local\\.\\w+|metering\\.\\w+)|dev\\.shoal\\.storage\\.api\\.\\*");
    private static final Pattern INTERNAL_IMPORT = Pattern.compile("^import (dev\\.shoal\\.\\w+)(\\.[\\w.]*)?\\.internal\\.", Pattern.MULTILINE);

    private static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("storage-layer")) ? here : here.getParent();
    }

    private static List<Path> sources(String module) {
        Path dir = root().resolve(module).resolve("src/main/java");
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theShippedModulesAreFound() {
        for (String module : SHIPPED) {
            assertFalse(sources(module).isEmpty(), "no sources found for " + module + " under " + root());
        }
    }

    @Test
    void timeAndRandomnessAreInjectedNeverReadDirectly() {
        List<String> found = new ArrayList<>();
        for (String module : SHIPPED) {
            for (Path file : sources(module)) {
                String[] lines = read(file).split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    if (UNINJECTED.matcher(lines[i]).find()) {
                        found.add(root().relativize(file) + ":" + (i + 1) + ": " + lines[i].trim());
                    }
                }
            }
        }
        assertEquals(List.of(), found, "take a Clock (Clock.systemUTC() in wiring), a Sleeper or an injected random source instead");
    }

    @Test
    void noClassIsLongerThan400Lines() {
        List<String> found = new ArrayList<>();
        for (String module : SHIPPED) {
            for (Path file : sources(module)) {
                long lines = read(file).lines().count();
                if (lines > MAX_CLASS_LINES) {
                    found.add(root().relativize(file) + ": " + lines + " lines");
                }
            }
        }
        assertEquals(List.of(), found, "split classes over " + MAX_CLASS_LINES + " lines by what they do");
    }

    @Test
    void dynamoDbKeyFormatsAreWrittenOnlyInTheDynamoDbPackage() {
        List<String> found = new ArrayList<>();
        for (Path file : sources("storage-layer")) {
            String name = root().relativize(file).toString().replace('\\', '/');
            if (KEY_FORMAT_HOMES.stream().anyMatch(name::startsWith)) {
                continue;
            }
            String[] lines = read(file).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (KEY_FORMAT.matcher(lines[i]).find()) {
                    found.add(name + ":" + (i + 1) + ": " + lines[i].trim());
                }
            }
        }
        assertEquals(List.of(), found, "key formats live in dev.shoal.storage.dynamodb (StateItems, CatalogItems, LogItems, ...): "
                + "call the key function there instead");
    }

    @Test
    void noModuleUsesAnotherModulesInternalPackages() {
        List<String> found = new ArrayList<>();
        for (String module : SHIPPED) {
            for (Path file : sources(module)) {
                Matcher m = INTERNAL_IMPORT.matcher(read(file));
                while (m.find()) {
                    String owner = m.group(1); // dev.shoal.client, dev.shoal.storage, ...
                    String own = ownPackageRoot(module);
                    if (!owner.equals(own)) {
                        found.add(root().relativize(file) + " imports " + m.group().substring("import ".length()));
                    }
                }
            }
        }
        assertEquals(List.of(), found, "internal packages are their module's own: use the module's public API");
    }

    @Test
    void theFunctionsTheSdkAndTheCliUseOnlyTheEnginesApi() {
        List<String> found = new ArrayList<>();
        for (String module : CALLERS) {
            for (Path file : sources(module)) {
                for (String name : engineInternalsNamed(read(file))) {
                    found.add(root().relativize(file) + " names " + name);
                }
            }
        }
        assertEquals(List.of(), found, "callers of the engine use dev.shoal.storage.api, ShoalEngine and ErrorBoundary "
                + "(and the wiring: ShoalTables, deployment, local, metering), never its internals");
    }

    @Test
    void theEnginesApiDependsOnNothingElseOfTheEngine() {
        List<String> found = new ArrayList<>();
        for (Path file : sources("storage-layer")) {
            if (!file.getParent().endsWith(Path.of("dev/shoal/storage/api"))) continue;
            Matcher m = ENGINE_NAME.matcher(read(file));
            while (m.find()) {
                if (!m.group().startsWith("dev.shoal.storage.api.")) found.add(root().relativize(file) + " names " + m.group());
            }
        }
        assertEquals(List.of(), found, "dev.shoal.storage.api is what callers compile against: it names no engine internals");
    }

    @Test
    void theApiRuleFlagsAnEngineInternalAndPassesTheApi() {
        String source = """
                import dev.shoal.storage.api.QueueService;
                import dev.shoal.storage.api.*;
                import static dev.shoal.storage.api.Limits.MAX_BATCH;
                import dev.shoal.storage.ShoalEngine;
                import dev.shoal.storage.metering.Meter;
                import dev.shoal.storage.StoreErrors;
                import dev.shoal.storage.*;
                class Caller { dev.shoal.storage.subscription.Receiver r; dev.shoal.storage.dynamodb.StateItems s; }
                """;
        assertEquals(List.of("dev.shoal.storage.StoreErrors", "dev.shoal.storage.*",
                "dev.shoal.storage.subscription.Receiver", "dev.shoal.storage.dynamodb.StateItems"), engineInternalsNamed(source));
    }

    /** The names in {@code source} of the engine's packages that are not its API. */
    private static List<String> engineInternalsNamed(String source) {
        List<String> found = new ArrayList<>();
        Matcher m = ENGINE_NAME.matcher(source);
        while (m.find()) {
            if (!ENGINE_API.matcher(m.group()).matches()) {
                found.add(m.group());
            }
        }
        return found;
    }

    private static String ownPackageRoot(String module) {
        return switch (module) {
            case "storage-layer" -> "dev.shoal.storage";
            case "functions" -> "dev.shoal.functions";
            case "client-sdk" -> "dev.shoal.client";
            case "cli" -> "dev.shoal.cli";
            default -> throw new IllegalArgumentException(module);
        };
    }
}
