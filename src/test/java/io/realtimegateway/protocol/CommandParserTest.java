package io.realtimegateway.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CommandParserTest {

    @Test
    void parsesEachCommand() {
        ClientCommand.Join join = assertInstanceOf(ClientCommand.Join.class,
                CommandParser.parse("{\"type\":\"join\",\"room\":\"lobby\",\"ref\":\"1\"}"));
        assertEquals("lobby", join.room());
        assertEquals("1", join.ref());
        assertEquals(false, join.presence(), "presence events are opt-in");
        assertEquals(0, join.rewind(), "no rewind unless asked");
        assertEquals(100, assertInstanceOf(ClientCommand.Join.class,
                CommandParser.parse("{\"type\":\"join\",\"room\":\"lobby\",\"rewind\":100}")).rewind());
        assertEquals(true, assertInstanceOf(ClientCommand.Join.class,
                CommandParser.parse("{\"type\":\"join\",\"room\":\"lobby\",\"presence\":true}")).presence());

        ClientCommand.Presence presence = assertInstanceOf(ClientCommand.Presence.class,
                CommandParser.parse("{\"type\":\"presence\",\"room\":\"lobby\",\"ref\":\"7\"}"));
        assertEquals("lobby", presence.room());
        assertEquals("7", presence.ref());

        ClientCommand.Leave leave = assertInstanceOf(ClientCommand.Leave.class,
                CommandParser.parse("{\"type\":\"leave\",\"room\":\"a.b:c-d_e\"}"));
        assertNull(leave.ref());

        ClientCommand.Publish publish = assertInstanceOf(ClientCommand.Publish.class,
                CommandParser.parse("{\"type\":\"publish\",\"room\":\"r\",\"data\":{\"n\":[1,2]},\"ref\":\"3\"}"));
        assertEquals(2, publish.data().get("n").get(1).intValue());
    }

    @Test
    void nullDataIsStillData() {
        ClientCommand.Publish publish = assertInstanceOf(ClientCommand.Publish.class,
                CommandParser.parse("{\"type\":\"publish\",\"room\":\"r\",\"data\":null}"));
        assertEquals("null", publish.data().toString());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "not json                                       | bad_json",
            "{\"type\":\"join\"                             | bad_json",
            "''                                             | not_object",
            "[]                                             | not_object",
            "\"text\"                                       | not_object",
            "{\"type\":\"x\",\"room\":\"r\"}                | unknown_type",
            "{}                                             | missing_field",
            "{\"type\":null}                                | missing_field",
            "{\"type\":1}                                   | invalid_field",
            "{\"type\":\"join\",\"ref\":{}}                 | invalid_field",
            "{\"type\":\"join\",\"room\":[]}                | invalid_field",
            "{\"type\":\"join\",\"room\":\"\"}              | invalid_room",
            "{\"type\":\"join\",\"room\":\"a/b\"}           | invalid_room",
            "{\"type\":\"publish\",\"room\":\"r\"}          | missing_field",
            "{\"type\":\"join\",\"room\":\"r\",\"presence\":1} | invalid_field",
            "{\"type\":\"join\",\"room\":\"r\",\"rewind\":0}   | invalid_field",
            "{\"type\":\"join\",\"room\":\"r\",\"rewind\":101} | invalid_field",
            "{\"type\":\"join\",\"room\":\"r\",\"rewind\":-1}  | invalid_field",
            "{\"type\":\"join\",\"room\":\"r\",\"rewind\":2.5} | invalid_field",
            "{\"type\":\"join\",\"room\":\"r\",\"rewind\":\"3\"} | invalid_field",
            "{\"type\":\"join\",\"room\":\"r\",\"rewind\":1e20} | invalid_field",
            "{\"type\":\"presence\"}                         | missing_field",
            "{\"type\":\"presence\",\"room\":\"a b\"}         | invalid_room",
    })
    void refusesBadFramesWithADistinctCode(String text, String code) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> CommandParser.parse(text));
        assertEquals(code, e.code().wire());
    }

    @Test
    void parsesABinaryPublishAndKeepsItsPayloadByteForByte() {
        byte[] header = "{\"type\":\"publish\",\"room\":\"x\",\"ref\":\"1\",\"extra\":true}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] payload = { 0, (byte) 0xFF, '\n', '{', 0x7F };
        byte[] frame = new byte[2 + header.length + payload.length];
        frame[1] = (byte) header.length;
        System.arraycopy(header, 0, frame, 2, header.length);
        System.arraycopy(payload, 0, frame, 2 + header.length, payload.length);
        ClientCommand.PublishBytes publish = CommandParser.parseBinary(frame);
        assertEquals("x", publish.room());
        assertEquals("1", publish.ref());
        assertArrayEquals(payload, publish.payload());
        assertEquals("1", CommandParser.refOfBinary(frame));
        assertEquals(0, CommandParser.parseBinary(java.util.Arrays.copyOf(frame, 2 + header.length)).payload().length);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                                  | bad_binary_frame",
            "00                                  | bad_binary_frame",
            "0001                                | bad_binary_frame",
            "00037b7d                            | bad_binary_frame",
            "ffff00                              | bad_binary_frame",
            "0000ff                              | bad_json",
            "00017b                              | bad_json",
            "000322c322                          | bad_json",
            "00025b5d                            | not_object",
            "00027b7d                            | missing_field",
            "000f7b2274797065223a226a6f696e227d  | unknown_type",
    })
    void refusesMalformedBinaryFramesWithADistinctCode(String hex, String code) {
        byte[] frame = java.util.HexFormat.of().parseHex(hex);
        ProtocolException e = assertThrows(ProtocolException.class, () -> CommandParser.parseBinary(frame));
        assertEquals(code, e.code().wire());
        assertNull(CommandParser.refOfBinary(frame));
    }

    @Test
    void keepsTheRefOfARefusedFrame() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> CommandParser.parse("{\"type\":\"join\",\"room\":\"bad room\",\"ref\":\"7\"}"));
        assertEquals("7", e.ref());
    }

    @Test
    void refusesDeeplyNestedJson() {
        String deep = "{\"type\":\"publish\",\"room\":\"r\",\"data\":" + "[".repeat(1000) + "]".repeat(1000) + "}";
        assertEquals(ErrorCode.BAD_JSON, assertThrows(ProtocolException.class, () -> CommandParser.parse(deep)).code());
    }

    @Test
    void roomNameLengthLimitIs128() {
        assertNull(RoomNames.problem("r".repeat(128)));
        assertEquals("room must be at most 128 characters", RoomNames.problem("r".repeat(129)));
    }

    @Test
    void theRefOfAnUnparsedFrameIsItsTopLevelStringRef() {
        assertEquals("r1", CommandParser.refOf("{\"type\":\"publish\",\"data\":{\"ref\":\"inner\"},\"ref\":\"r1\"}"));
        assertNull(CommandParser.refOf("{\"type\":\"publish\",\"ref\":7}"), "not a string");
        assertNull(CommandParser.refOf("{\"ref\":\"" + "x".repeat(65) + "\"}"), "longer than 64");
        assertNull(CommandParser.refOf("not json"));
        assertNull(CommandParser.refOf("[\"ref\"]"));
        assertNull(CommandParser.refOf("{\"type\":\"publish\",\"data\":{"), "cut short before any ref");
    }
}
