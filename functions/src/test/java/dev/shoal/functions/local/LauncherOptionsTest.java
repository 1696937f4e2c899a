package dev.shoal.functions.local;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LauncherOptionsTest {

    @Test
    void defaultsArePort8080DataInTheRepositoryAndKeyTestTest() {
        LauncherOptions o = LauncherOptions.parse(new String[0]);
        assertEquals(8080, o.port());
        assertEquals(Path.of(".shoal-data"), o.dataDir());
        assertEquals("test", o.accessKey());
        assertEquals("test", o.secretKey());
        assertEquals("us-east-1", o.region());
    }

    @Test
    void portAndDataAreTakenInBothSpellings() {
        LauncherOptions o = LauncherOptions.parse(new String[]{"--port", "9090", "--data=/tmp/x", "--region", "eu-west-1"});
        assertEquals(9090, o.port());
        assertEquals(Path.of("/tmp/x"), o.dataDir());
        assertEquals("eu-west-1", o.region());
    }

    @Test
    void mistakesAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LauncherOptions.parse(new String[]{"--port", "http"})).getMessage().contains("--port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LauncherOptions.parse(new String[]{"--prot", "1"})).getMessage().contains("--prot"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LauncherOptions.parse(new String[]{"--data"})).getMessage().contains("needs a value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LauncherOptions.parse(new String[]{"--port", "70000"})).getMessage().contains("0-65535"));
    }
}
