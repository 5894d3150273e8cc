package io.realtimegateway.endpoint;

import jakarta.inject.Inject;

import io.quarkus.websockets.next.InboundProcessingMode;
import io.quarkus.websockets.next.WebSocket;
import io.realtimegateway.chat.ChatService;

/** {@code /ws/chat}: rooms. The connection's messages go to {@link ChatService}; the callbacks are those of the base. */
@WebSocket(path = "/ws/chat", inboundProcessingMode = InboundProcessingMode.CONCURRENT)
public class ChatEndpoint extends SessionEndpoint {

    @Inject
    ChatEndpoint(ChatService chat) {
        super(chat);
    }
}
