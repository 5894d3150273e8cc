package io.realtimegateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * An empty first fragment is held back and its type goes to the first continuation that carries data or ends the
 * message; everything else passes unchanged, in order.
 */
class EmptyFirstFragmentCarrierTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new EmptyFirstFragmentCarrier());

    private static ContinuationWebSocketFrame continuation(boolean fin, String text) {
        return new ContinuationWebSocketFrame(fin, 0, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private WebSocketFrame next() {
        return channel.readInbound();
    }

    private static String text(WebSocketFrame frame) {
        String text = frame.content().toString(StandardCharsets.UTF_8);
        frame.release();
        return text;
    }

    @Test
    void theEmptyFirstTextFragmentsTypeGoesToTheFirstContinuationWithData() {
        channel.writeInbound(new TextWebSocketFrame(false, 0, Unpooled.EMPTY_BUFFER));
        channel.writeInbound(continuation(false, ""));
        assertNull(next(), "nothing to hand on yet");
        channel.writeInbound(new PingWebSocketFrame());
        assertInstanceOf(PingWebSocketFrame.class, next()).release();
        channel.writeInbound(continuation(false, "middle"));
        channel.writeInbound(continuation(true, ""));
        WebSocketFrame first = next();
        assertInstanceOf(TextWebSocketFrame.class, first);
        assertFalse(first.isFinalFragment());
        assertEquals("middle", text(first));
        WebSocketFrame last = next();
        assertInstanceOf(ContinuationWebSocketFrame.class, last);
        assertTrue(last.isFinalFragment());
        assertEquals("", text(last));
        channel.finishAndReleaseAll();
    }

    @Test
    void threeEmptyBinaryFragmentsBecomeOneEmptyFinalBinaryFrame() {
        channel.writeInbound(new BinaryWebSocketFrame(false, 0, Unpooled.EMPTY_BUFFER));
        channel.writeInbound(continuation(false, ""));
        channel.writeInbound(continuation(true, ""));
        WebSocketFrame frame = next();
        assertInstanceOf(BinaryWebSocketFrame.class, frame);
        assertTrue(frame.isFinalFragment());
        assertEquals("", text(frame));
        assertNull(next());
    }

    @Test
    void otherFramesPassUnchanged() {
        TextWebSocketFrame whole = new TextWebSocketFrame("whole");
        TextWebSocketFrame fragment = new TextWebSocketFrame(false, 0,
                Unpooled.copiedBuffer("a", StandardCharsets.UTF_8));
        ContinuationWebSocketFrame rest = continuation(true, "b");
        TextWebSocketFrame empty = new TextWebSocketFrame("");
        channel.writeInbound(whole, fragment, rest, empty);
        assertEquals(whole, next());
        assertEquals(fragment, next());
        assertEquals(rest, next());
        assertEquals(empty, next());
        channel.finishAndReleaseAll();
    }
}
