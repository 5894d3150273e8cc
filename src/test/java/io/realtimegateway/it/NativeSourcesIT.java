package io.realtimegateway.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

/**
 * What a machine without GraalVM can check of the native build: {@code ./mvnw verify -Pnative-sources} runs the build
 * up to the native-image step; this test asserts that the step has everything it needs. Run only by that profile.
 */
class NativeSourcesIT {

    private static final Path SOURCES = Path.of("target", "native-sources");
    private static final Path RUNNER = SOURCES.resolve("realtime-gateway-1.0.0-SNAPSHOT-runner.jar");

    @Test
    void nativeImageArgumentsAndRunnerJarAreProduced() throws IOException {
        Path args = SOURCES.resolve("native-image.args");
        assertTrue(Files.isRegularFile(args), "missing " + args);
        String text = Files.readString(args);
        assertTrue(text.contains("io.quarkus.runner.Feature"), "the Quarkus feature is not registered");
        assertTrue(text.contains("--no-fallback"), "a fallback image would hide native build failures");
        assertTrue(Files.isRegularFile(RUNNER), "missing " + RUNNER);
    }

    @Test
    void jsonTypesOfTheRestApiAreRegisteredForReflection() throws IOException {
        String reflection = entry("META-INF/native-image/reflect-config.json");
        for (String type : new String[] { "io.realtimegateway.endpoint.PublishAccepted",
                "io.realtimegateway.endpoint.ApiError" }) {
            assertTrue(reflection.contains("\"" + type + "\""), type + " is not registered for reflection");
        }
    }

    private static String entry(String name) throws IOException {
        try (JarFile jar = new JarFile(RUNNER.toFile())) {
            var entry = jar.getJarEntry(name);
            assertTrue(entry != null, "the runner jar has no " + name);
            try (InputStream in = jar.getInputStream(entry)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
