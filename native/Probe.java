import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Probes a started native executable (native/probe.sh): {@code /q/health/ready} answers 200, then one WebSocket
 * joins a room on {@code /ws/chat} with a token signed by the test key pair and must get the join's ack.
 * <p>
 * Usage: {@code java native/Probe.java <port> <private key PEM> <issuer>}
 */
public final class Probe {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int managementPort = args.length > 3 ? Integer.parseInt(args[3]) : port;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() != 200) {
            throw new IllegalStateException("/q/health/ready answered " + ready.statusCode() + ": " + ready.body());
        }

        String token = token(Path.of(args[1]), args[2]);
        CompletableFuture<String> ack = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/chat"), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            if (text.indexOf("\"ref\":\"probe-1\"") >= 0) {
                                ack.complete(text.toString());
                            }
                            text.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"join\",\"room\":\"lobby\",\"ref\":\"probe-1\"}", true);
        String reply = ack.get(5, TimeUnit.SECONDS);
        if (!reply.contains("\"type\":\"ack\"")) {
            throw new IllegalStateException("the join was not acknowledged: " + reply);
        }
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "probe done").get(5, TimeUnit.SECONDS);
        System.out.println("probe: /q/health/ready 200, WebSocket join acknowledged");
    }

    /** An RS256 JWT for user "probe" with the "user" role, valid for a minute. */
    static String token(Path privateKeyPem, String issuer) throws Exception {
        String pem = Files.readString(privateKeyPem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getDecoder().decode(pem)));
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":\"" + issuer + "\",\"sub\":\"probe\",\"upn\":\"probe\",\"groups\":[\"user\"],"
                + "\"iat\":" + now + ",\"exp\":" + (now + 60) + "}";
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signed = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
        return signed + "." + b64.encodeToString(rsa.sign());
    }
}
