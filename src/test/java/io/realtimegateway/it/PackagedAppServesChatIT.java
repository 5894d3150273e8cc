package io.realtimegateway.it;

import static io.realtimegateway.support.Frames.join;
import static io.realtimegateway.support.Frames.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.realtimegateway.support.PackagedApp;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;

/** The packaged application, started as a deployment starts it, serves the chat protocol and has no dev endpoint. */
class PackagedAppServesChatIT {

    @Test
    void packagedApplicationServesChatAndHidesTheDevTokenEndpoint() {
        try (PackagedApp app = PackagedApp.start("chat", Map.of());
                WsClient a = WsClient.connect(app.base(), "/ws/chat", Tokens.user("a"));
                WsClient b = WsClient.connect(app.base(), "/ws/chat", Tokens.user("b"))) {
            a.request(join("it", "1"));
            b.request(join("it", "2"));
            a.request(publish("it", "packaged", "3"));
            assertEquals("packaged", b.next("message").getString("data"));
            assertEquals(404, app.status("/dev/token?user=x"), "the dev token endpoint exists in production");
            assertEquals(200, app.status("/health"));
        }
    }

    @Test
    void theProductionJarHoldsNoDevelopmentClasses() throws IOException {
        try (Stream<Path> jars = Files.list(Path.of("target", "quarkus-app", "app"));
                JarFile jar = new JarFile(jars.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow()
                        .toFile())) {
            List<String> dev = jar.stream().map(JarEntry::getName)
                    .filter(name -> name.startsWith("io/realtimegateway/dev/") && name.endsWith(".class")).toList();
            assertEquals(List.of(), dev,
                    "list new dev classes in quarkus.package.jar.user-configured-ignored-entries");
        }
    }
}
