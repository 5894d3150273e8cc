package io.realtimegateway.recovery;

import static io.realtimegateway.recovery.ARejoinStormSharesHistoryReadsTest.publish;
import static io.realtimegateway.support.Frames.join;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.support.Readiness;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;
import io.vertx.core.json.JsonObject;

/**
 * With {@code gateway.history.max-replay=5}, a client that missed 20 messages (all still in the history) is told
 * {@code recovered: false} and gets none of them, only live messages: it reloads instead of reading a long replay
 * first. A rewind gets at most 5, the newest. On Redis, the profile of {@link ARejoinStormSharesHistoryReadsTest}.
 */
@QuarkusTest
@TestProfile(ARejoinStormSharesHistoryReadsTest.StormProfile.class)
class AReplayOverTheCapIsNotSentTest {

    @TestHTTPResource("/")
    URI base;

    @TestHTTPResource(value = "/", management = true)
    URI management;

    @BeforeEach
    void redisIsReachable() {
        Readiness.awaitUp(management);
    }

    @Test
    void moreMissedMessagesThanTheCapAreNotRecoveredAndNoneIsSent() {
        String seen = publish("flood", "\"seen\"");
        for (int i = 1; i <= 20; i++) {
            publish("flood", "\"missed-" + i + "\"");
        }
        try (WsClient back = WsClient.connect(base, "/ws/chat", Tokens.user("flooded"))) {
            JsonObject ack = back.request(join("flood", "1").put("since", seen));
            assertEquals(false, ack.getBoolean("recovered"), ack.encode());
            publish("flood", "\"live\"");
            assertEquals("live", back.next("message").getString("data"), "no replayed message before the live one");
        }
        try (WsClient back = WsClient.connect(base, "/ws/chat", Tokens.user("flooded"))) {
            JsonObject ack = back.request(join("flood", "2").put("rewind", 6));
            assertEquals(5, ack.getInteger("rewound"), ack.encode());
            for (String expected : new String[] { "missed-17", "missed-18", "missed-19", "missed-20", "live" }) {
                assertEquals(expected, back.next("message").getString("data"));
            }
        }
    }

    @Test
    void aReplayOfExactlyTheCapIsRecovered() {
        String seen = publish("brim", "\"seen\"");
        for (int i = 1; i <= 5; i++) {
            publish("brim", "\"missed-" + i + "\"");
        }
        try (WsClient back = WsClient.connect(base, "/ws/chat", Tokens.user("brimful"))) {
            assertEquals(true, back.request(join("brim", "1").put("since", seen)).getBoolean("recovered"));
            for (int i = 1; i <= 5; i++) {
                assertEquals("missed-" + i, back.next("message").getString("data"));
            }
        }
    }
}
