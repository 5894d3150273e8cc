package io.realtimegateway.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The counted length is what the JDK's encoder writes, for every kind of character. */
class Utf8Test {

    @ParameterizedTest
    @ValueSource(strings = { "", "{\"type\":\"publish\"}", "é", "héllo wörld", "€", "日本語のチャット", "😀", "a😀b€é",
            "\uD83D", "x\uDE00y", "\uDE00\uD83D" })
    void countsWhatTheEncoderWrites(String text) {
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, Utf8.length(text));
    }
}
