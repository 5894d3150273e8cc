package io.realtimegateway.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;

/**
 * The development key pair, for {@code quarkus dev} only: generated at the first start into {@code target/dev-keys/}
 * (never into the sources) and reused afterwards, so tokens survive live reloads. The public key is where the dev
 * profile's {@code mp.jwt.verify.publickey.location} points. Absent from test and production builds.
 */
@ApplicationScoped
@IfBuildProfile("dev")
public class DevKeys {

    private static final Logger LOG = Logger.getLogger(DevKeys.class);

    @ConfigProperty(name = "mp.jwt.verify.publickey.location")
    String publicKeyLocation;

    private volatile PrivateKey privateKey;

    void onStart(@Observes StartupEvent event) {
        Path publicKey = Path.of(publicKeyLocation);
        Path privateKeyFile = publicKey.resolveSibling("privateKey.pem");
        try {
            if (!Files.exists(publicKey) || !Files.exists(privateKeyFile)) {
                generate(publicKey, privateKeyFile);
                LOG.infof("Generated a development key pair in %s", publicKey.getParent());
            }
            privateKey = read(privateKeyFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the development key pair", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot prepare the development key pair", e);
        }
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    private static void generate(Path publicKey, Path privateKey) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Files.createDirectories(publicKey.getParent());
        Files.writeString(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    }

    private static PrivateKey read(Path file) throws IOException, GeneralSecurityException {
        String body = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
