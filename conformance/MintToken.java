import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;

/**
 * Prints an RS256 JWT signed with a PKCS#8 PEM private key, as the test identity provider would mint it: issuer as
 * given, {@code upn} and {@code sub} the user, {@code groups} ["user"], {@code exp} now plus the time to live. A
 * single-file program with no dependencies, for conformance/run.sh:
 *
 * <pre>java conformance/MintToken.java src/test/resources/test-keys/privateKey.pem https://realtime-gateway.test autobahn 3600</pre>
 */
public class MintToken {

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: java MintToken.java <privateKey.pem> <issuer> <user> <ttl-seconds>");
            System.exit(2);
        }
        PrivateKey key = readPkcs8(Path.of(args[0]));
        String issuer = args[1];
        String user = args[2];
        long now = Instant.now().getEpochSecond();
        long exp = now + Long.parseLong(args[3]);
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":" + quote(issuer) + ",\"sub\":" + quote(user) + ",\"upn\":" + quote(user)
                + ",\"groups\":[\"user\"],\"iat\":" + now + ",\"exp\":" + exp + "}";
        String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claims.getBytes(StandardCharsets.UTF_8));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(key);
        rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        System.out.println(signingInput + "." + base64Url(rs256.sign()));
    }

    private static PrivateKey readPkcs8(Path pem) throws Exception {
        String text = Files.readString(pem);
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException(pem + " is not a PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
        }
        String body = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A JSON string; the arguments are plain words and URLs, so only quotes and backslashes need escaping. */
    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
