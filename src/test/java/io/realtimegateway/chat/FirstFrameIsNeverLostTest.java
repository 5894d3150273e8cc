package io.realtimegateway.chat;

import static io.realtimegateway.support.Frames.join;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;

@QuarkusTest
class FirstFrameIsNeverLostTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aFrameSentRightAfterTheUpgradeIsAnswered() {
        String token = Tokens.user("eager");
        for (int i = 0; i < 300; i++) {
            try (WsClient client = WsClient.connect(base, "/ws/chat", token)) {
                assertEquals("ack", client.request(join("r" + i, "first")).getString("type"), "attempt " + i);
            }
        }
    }
}
