package io.realtimegateway.broadcast;

import static io.realtimegateway.support.Frames.everyByteAnd;
import static io.realtimegateway.support.Frames.join;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.message.Topic;
import io.realtimegateway.support.AnotherInstance;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WithRedis;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * The same contract over a real Redis server (embedded, or GATEWAY_TEST_REDIS_URL), and what only a distributed
 * broker has to keep: a message published by another instance, through Redis pub/sub, arrives intact.
 */
@QuarkusTest
@TestProfile(WithRedis.class)
class RedisBrokerContractTest extends BrokerContractTest {

    @Override
    String expectedBroker() {
        return "redis";
    }

    @Test
    void aBinaryMessageFromAnotherInstanceArrivesWithItsBytesUnchanged() {
        byte[] payload = everyByteAnd(4096);
        int port = URI.create(ConfigProvider.getConfig().getValue("quarkus.redis.hosts", String.class)).getPort();
        try (AnotherInstance far = new AnotherInstance(port, 100);
                WsClient member = WsClient.connect(base, "/ws/chat", Tokens.user("near"))) {
            member.request(join("far-bytes", "1"));
            far.awaitSubscribed(Topic.room("far-bytes"));
            far.publish("far-bytes", payload);
            far.publish("far-bytes", "after");
            JsonObject message = member.next("message");
            assertEquals(true, message.getBoolean("binary"), "a binary frame: " + message);
            assertEquals("far-user", message.getString("from"));
            assertArrayEquals(payload, message.getBinary("payload"));
            assertEquals("after", member.next("message").getString("data"));
        }
    }
}
