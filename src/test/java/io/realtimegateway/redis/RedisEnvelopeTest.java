package io.realtimegateway.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.realtimegateway.message.StreamId;
import io.realtimegateway.protocol.IdFrame;
import io.realtimegateway.message.Topic;
import io.realtimegateway.protocol.Delivery;
import io.realtimegateway.protocol.OutboundFrame;
import io.vertx.core.buffer.Buffer;

/** What crosses Redis pub/sub comes back as it was sent: text frames, and binary messages byte for byte. */
class RedisEnvelopeTest {

    private final Topic room = Topic.room("lobby");

    @Test
    void aTextFrameComesBackWithItsOriginExclusionAndPosition() {
        OutboundFrame frame = OutboundFrame.of("{\"type\":\"message\",\"data\":\"héllo\\nthere\"}");
        RedisEnvelope.Received received = RedisEnvelope.decode(room,
                RedisEnvelope.encode("i1", new Delivery(room, "c7", frame, new StreamId("e", 5))));
        assertEquals("i1", received.origin());
        assertEquals("c7", received.delivery().excludeConnection());
        assertEquals(new StreamId("e", 5), received.delivery().position());
        assertEquals(frame, received.delivery().frame());
    }

    @Test
    void aBinaryMessageComesBackByteForByte() {
        byte[] payload = new byte[300];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i; // every byte value, line feeds and 'b' and '{' included
        }
        OutboundFrame frame = OutboundFrame.binaryMessage("{\"type\":\"message\",\"from\":\"zoë\"}", payload);
        Buffer encoded = RedisEnvelope.encode("i1", new Delivery(room, null, frame, null));
        RedisEnvelope.Received received = RedisEnvelope.decode(room, encoded);
        OutboundFrame decoded = received.delivery().frame();
        assertTrue(decoded.isBinaryMessage());
        assertEquals(frame.header(), decoded.header());
        assertArrayEquals(payload, decoded.payload());
        assertArrayEquals(frame.wire(), decoded.wire());
        assertNull(received.delivery().excludeConnection());
        assertNull(received.delivery().position());

        assertNull(decoded.eventId());

        OutboundFrame numbered = new IdFrame("{\"type\":\"message\",\"id\":\"", "\"}", payload)
                .with(new StreamId("e", 6));
        Buffer envelope = RedisEnvelope.encode("i1", new Delivery(room, null, numbered, new StreamId("e", 6)));
        OutboundFrame kept = RedisEnvelope.decode(room, envelope).delivery().frame();
        assertTrue(kept.isBinaryMessage());
        assertEquals("e:6", kept.eventId(), "a binary message keeps its event id");
        assertArrayEquals(numbered.wire(), kept.wire());

        OutboundFrame empty = OutboundFrame.binaryMessage("{}", new byte[0]);
        assertArrayEquals(new byte[0], RedisEnvelope.decode(room,
                RedisEnvelope.encode("i1", new Delivery(room, null, empty, null))).delivery().frame().payload());
    }

    @Test
    void aRawBinaryFrameHasNoEnvelopeAndATruncatedPayloadIsNotOurs() {
        assertThrows(IllegalArgumentException.class, () -> RedisEnvelope.encode("i1",
                new Delivery(room, null, OutboundFrame.binary(new byte[] { 1 }), null)));
        assertNull(RedisEnvelope.decode(room, Buffer.buffer("i1\nc7")));
        assertNull(RedisEnvelope.decode(room, Buffer.buffer("i1\n\n\nb{\"no\":\"line feed\"}")));
    }
}
