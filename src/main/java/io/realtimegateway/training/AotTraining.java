package io.realtimegateway.training;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workload of the fast-start image's training run ({@code src/main/docker/aot-train.sh}): what the first users of
 * a fresh instance do, so that the JVM's ahead-of-time cache (JDK 25: classes, and the method profiles of JEP 515)
 * holds the paths they take, not only those of start-up. A plain program on the JDK's own APIs, run in a JVM of its own
 * beside the one being trained; never part of the service.
 * <pre>
 * keys DIR        writes a throwaway RSA key pair: DIR/training-public.pem (for mp.jwt.verify.publickey.location) and
 *                 DIR/training-private.der
 * load PORT DIR   200 authenticated connections join one room; 2,000 messages are published and fanned out to all of
 *                 them, then a notifications connection opens; then 2,000 more upgrades, 100 at a time, each closed
 *                 once open; exits 0 when every message arrived and every upgrade succeeded, 1 otherwise
 * </pre>
 * Tokens are signed RS256 with issuer {@value #ISSUER}; the trained service is started with that issuer, the public
 * key and the Origin {@value #ORIGIN} allowed. Every wait is bounded (60 s in all).
 */
public final class AotTraining {

    /** The issuer of the training tokens. */
    public static final String ISSUER = "aot-training";

    /** The Origin the training clients send. */
    public static final String ORIGIN = "http://aot-training";

    private static final int SUBSCRIBERS = 200;
    private static final int MESSAGES = 2_000;
    private static final int UPGRADES = 2_000;
    private static final int WAVE = 100;

    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("keys")) {
            keys(Path.of(args[1]));
        } else if (args.length == 3 && args[0].equals("load")) {
            System.exit(load(Integer.parseInt(args[1]), Path.of(args[2])) ? 0 : 1);
        } else {
            System.err.println("usage: AotTraining keys DIR | load PORT DIR");
            System.exit(2);
        }
    }

    private static void keys(Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Files.writeString(dir.resolve("training-public.pem"), pem);
        Files.write(dir.resolve("training-private.der"), pair.getPrivate().getEncoded());
    }

    private static boolean load(int port, Path dir) throws Exception {
        PrivateKey key = KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(dir.resolve("training-private.der"))));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        AtomicLong received = new AtomicLong();
        CountDownLatch joined = new CountDownLatch(SUBSCRIBERS);
        CountDownLatch all = new CountDownLatch(1);
        long expected = (long) MESSAGES * (SUBSCRIBERS - 1);
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            Listener listener = new Listener(text -> {
                if (text.startsWith("{\"type\":\"ack\"")) {
                    joined.countDown();
                } else if (text.startsWith("{\"type\":\"message\"") && received.incrementAndGet() == expected) {
                    all.countDown();
                }
            });
            WebSocket socket = http.newWebSocketBuilder().header("Origin", ORIGIN)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/chat?access_token="
                            + token(key, "trainer-" + i)), listener)
                    .get(10, TimeUnit.SECONDS);
            sockets.add(socket);
            socket.sendText("{\"type\":\"join\",\"room\":\"training\",\"ref\":\"j\"}", true).get(10, TimeUnit.SECONDS);
        }
        if (!joined.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
            return false;
        }
        // One publisher (the first member, which does not receive its own messages); frames sent one after another.
        WebSocket publisher = sockets.get(0);
        for (int n = 0; n < MESSAGES; n++) {
            publisher.sendText("{\"type\":\"publish\",\"room\":\"training\",\"data\":{\"n\":" + n + "}}", true)
                    .get(10, TimeUnit.SECONDS);
        }
        boolean delivered = all.await(remaining(deadline), TimeUnit.NANOSECONDS);
        WebSocket notifications = http.newWebSocketBuilder().header("Origin", ORIGIN)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/notifications?access_token="
                        + token(key, "trainer-0")), new Listener(text -> {
                        }))
                .get(10, TimeUnit.SECONDS);
        sockets.add(notifications);
        closeAll(sockets);
        return delivered && upgrades(http, port, key);
    }

    /**
     * A reconnect storm's share: {@value #UPGRADES} more upgrades, {@value #WAVE} at a time, each closed once open, so
     * that the upgrade path (token verification, the handshake, the session's set-up and its end) is profiled as many
     * times as a fresh instance meets it in its first seconds after a deploy.
     */
    private static boolean upgrades(HttpClient http, int port, PrivateKey key) throws Exception {
        for (int wave = 0; wave < UPGRADES / WAVE; wave++) {
            List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
            for (int i = 0; i < WAVE; i++) {
                opening.add(http.newWebSocketBuilder().header("Origin", ORIGIN)
                        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/chat?access_token="
                                + token(key, "storm-" + wave + "-" + i)), new Listener(text -> {
                                })));
            }
            CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            closeAll(opening.stream().map(CompletableFuture::join).toList());
        }
        return true;
    }

    private static void closeAll(List<WebSocket> sockets) throws Exception {
        List<CompletableFuture<WebSocket>> closes = new ArrayList<>();
        for (WebSocket socket : sockets) {
            closes.add(socket.sendClose(WebSocket.NORMAL_CLOSURE, ""));
        }
        CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** An RS256 token of {@code user} with role {@code user}, valid for 10 minutes. */
    private static String token(PrivateKey key, String user) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String header = base64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String claims = base64("{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + user + "\",\"groups\":[\"user\"],\"iat\":"
                + now + ",\"exp\":" + (now + 600) + "}");
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Hands each whole text message to {@code onText}; asks for one message at a time. */
    private static final class Listener implements WebSocket.Listener {

        private final java.util.function.Consumer<String> onText;
        private final StringBuilder partial = new StringBuilder();

        Listener(java.util.function.Consumer<String> onText) {
            this.onText = onText;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                onText.accept(partial.toString());
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }
}
