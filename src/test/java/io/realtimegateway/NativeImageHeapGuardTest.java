package io.realtimegateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import io.realtimegateway.session.ClientSession;
import io.vertx.core.buffer.Buffer;

/**
 * The application's static state holds nothing a native image's heap may not (see {@link ImageHeapScanner}): the
 * mistake the native build finds in minutes (docs/native.md), found here in a second. Each fixture below is a mistake
 * the scanner must flag, so the guard cannot pass by seeing nothing.
 */
class NativeImageHeapGuardTest {

    private final ImageHeapScanner scanner = new ImageHeapScanner(getClass().getClassLoader());

    @Test
    void applicationClassesHoldNothingTheImageHeapMayNot() throws URISyntaxException {
        Path classes = Path.of(ClientSession.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ImageHeapScanner.Result result = scanner.scanTree(classes, "io/realtimegateway");

        assertTrue(result.classes() > 50, "scanned only " + result.classes() + " classes in " + classes);
        assertEquals(List.of(), result.findings(), "static state a native image may not hold; make it per instance"
                + " (the beans are created at run time) or create it when used");
    }

    @Test
    void aStaticRandomIsFlagged() {
        assertEquals(List.of(
                StaticRandom.class.getName() + ".RANDOM: a static field of type java.security.SecureRandom"
                        + " (a java.util.Random)",
                StaticRandom.class.getName() + ".<clinit>: creates java.security.SecureRandom (a java.util.Random)"),
                scanner.scan(StaticRandom.class));
    }

    @Test
    void aBufferBehindAnObjectFieldIsFlaggedByWhatTheInitializerObtains() {
        List<String> findings = scanner.scan(StaticBufferAsObject.class);

        assertEquals(1, findings.size(), findings::toString);
        assertTrue(findings.get(0).contains("obtains io.vertx.core.buffer.Buffer from io.vertx.core.buffer.Buffer.buffer"),
                findings::toString);
    }

    @Test
    void aStaticExecutorAndAStaticStreamAreFlagged() {
        List<String> findings = scanner.scan(StaticResources.class);

        assertTrue(findings.stream().anyMatch(f -> f.contains(".POOL: a static field of type "
                + "java.util.concurrent.ExecutorService")), findings::toString);
        assertTrue(findings.stream().anyMatch(f -> f.contains(".IN: a static field of type java.io.InputStream")),
                findings::toString);
    }

    @Test
    void aBuildTimeEpochIsFlagged() {
        assertEquals(List.of(StaticEpoch.class.getName() + ".<clinit>: calls java.lang.System.currentTimeMillis"
                + " (a per-process value, fixed at build time)"), scanner.scan(StaticEpoch.class));
    }

    @Test
    void bytesConstantsAndPerInstanceGeneratorsPass() {
        assertEquals(List.of(), scanner.scan(Harmless.class));
    }

    static final class StaticRandom {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    static final class StaticBufferAsObject {
        static final Object PING = Buffer.buffer("hb");
    }

    static final class StaticResources {
        static final ExecutorService POOL = null;
        static InputStream IN;
    }

    static final class StaticEpoch {
        static final String EPOCH = Long.toString(System.currentTimeMillis(), 36);
    }

    static final class Harmless {
        static final byte[] PING = {'h', 'b'};
        static final Map<String, String> OK = Map.of("status", "ok");
        static final String RESOURCE = read();
        private final SecureRandom random = new SecureRandom();

        private static String read() {
            return "read once: " + Executors.class.getSimpleName();
        }

        String next() {
            return Long.toString(random.nextLong(), 36);
        }
    }
}
