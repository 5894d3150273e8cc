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
class PrivateRoomsNeedAGrantTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void privateRoomIsRefusedWithoutAGrantAndTheConnectionStays() {
        try (WsClient client = WsClient.connect(base, "/ws/chat", Tokens.user("eve"))) {
            assertEquals("forbidden", client.request(join("private:board", "1")).getString("code"));
            assertEquals("ack", client.request(join("public", "2")).getString("type"));
        }
    }

    @Test
    void exactAndPrefixGrantsAdmit() {
        try (WsClient client = WsClient.connect(base, "/ws/chat",
                Tokens.userWithRooms("carol", "private:board", "private:team-*"))) {
            assertEquals("ack", client.request(join("private:board", "1")).getString("type"));
            assertEquals("ack", client.request(join("private:team-red", "2")).getString("type"));
            assertEquals("forbidden", client.request(join("private:boardroom", "3")).getString("code"));
        }
    }
}
