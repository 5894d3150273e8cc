package io.realtimegateway.security;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.support.RawWebSocket;
import io.realtimegateway.support.Tokens;

/** Malformed upgrade requests, written by hand on a raw socket: each gets its HTTP status and no WebSocket. */
@QuarkusTest
class MalformedUpgradesAreRefusedTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    @TestHTTPResource("/")
    URI base;

    private String request(String method, String key, String version) {
        StringBuilder r = new StringBuilder(method + " /ws/chat?access_token=" + Tokens.user("raw") + " HTTP/1.1\r\n")
                .append("Host: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nOrigin: http://localhost\r\n");
        if (key != null) {
            r.append("Sec-WebSocket-Key: ").append(key).append("\r\n");
        }
        if (version != null) {
            r.append("Sec-WebSocket-Version: ").append(version).append("\r\n");
        }
        return r.append("Content-Length: 0\r\n\r\n").toString();
    }

    private String send(String request) throws Exception {
        try (RawWebSocket raw = RawWebSocket.tcp(base)) {
            raw.writeAscii(request);
            return raw.readHead();
        }
    }

    @Test
    void missingKeyIs400() throws Exception {
        assertTrue(send(request("GET", null, "13")).startsWith("HTTP/1.1 400"));
    }

    @Test
    void invalidKeyIs400() throws Exception {
        assertTrue(send(request("GET", "not-base64!", "13")).startsWith("HTTP/1.1 400"));
        assertTrue(send(request("GET", "c2hvcnQ=", "13")).startsWith("HTTP/1.1 400"), "not 16 bytes");
    }

    @Test
    void wrongVersionIs426NamingTheSupportedOne() throws Exception {
        String head = send(request("GET", KEY, "8"));
        assertTrue(head.startsWith("HTTP/1.1 426"), head);
        assertTrue(head.toLowerCase().contains("sec-websocket-version: 13"), head);
    }

    @Test
    void nonGetMethodIs400() throws Exception {
        assertTrue(send(request("POST", KEY, "13")).startsWith("HTTP/1.1 400"));
    }

    @Test
    void aWellFormedUpgradeStillWorks() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(base, "/ws/chat?access_token=" + Tokens.user("raw"))) {
            ws.awaitOpen(); // answered pong: the connection is open and served
        }
    }
}
