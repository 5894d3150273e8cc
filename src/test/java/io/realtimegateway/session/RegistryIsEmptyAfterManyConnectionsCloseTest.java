package io.realtimegateway.session;

import static io.realtimegateway.support.Frames.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.message.Endpoint;
import io.realtimegateway.support.Tokens;
import io.realtimegateway.support.WsClient;

@QuarkusTest
class RegistryIsEmptyAfterManyConnectionsCloseTest {

    private static final int TOTAL = 10_000;
    private static final int BATCH = 1_000;

    @TestHTTPResource("/")
    URI base;

    @Inject
    ConnectionRegistry registry;

    @Test
    void tenThousandConnectionsOpenJoinAndCloseLeavingEveryIndexEmpty() {
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.connectionCount() == 0);
        String chatToken = Tokens.user("crowd");
        String tabToken = Tokens.user("tabs");
        for (int done = 0; done < TOTAL; done += BATCH) {
            List<WsClient> chat = WsClient.connectAll(base, "/ws/chat", Collections.nCopies(BATCH / 2, chatToken));
            List<WsClient> tabs = WsClient.connectAll(base, "/ws/notifications",
                    Collections.nCopies(BATCH / 2, tabToken));
            List<WsClient> all = new ArrayList<>(chat);
            all.addAll(tabs);
            for (int i = 0; i < chat.size(); i++) {
                chat.get(i).send(join("room-" + (i % 50), null));
                chat.get(i).send(join("shared", "last"));
            }
            for (WsClient c : chat) {
                c.next(f -> "last".equals(f.getString("ref")));
            }
            assertEquals(BATCH, registry.connectionCount());
            assertEquals(51, registry.roomCount());
            all.forEach(WsClient::close);
            await().atMost(Duration.ofSeconds(30)).until(() -> registry.connectionCount() == 0);
        }
        assertEquals(0, registry.roomCount());
        assertEquals(0, registry.userCount());
        assertEquals(0, registry.count(Endpoint.CHAT));
        assertEquals(0, registry.recipients(io.realtimegateway.message.Topic.ALL).size());
    }
}
