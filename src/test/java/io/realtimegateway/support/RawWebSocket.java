package io.realtimegateway.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket client made of a plain TCP socket, for tests that need what a well-behaved client library refuses to
 * do: send malformed requests and frames, never answer pings, never read. Frames are built by hand per RFC 6455.
 * Blocking, one test thread at a time; every read has a timeout.
 */
public final class RawWebSocket implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Opens a TCP connection to the server without sending anything. */
    public static RawWebSocket tcp(URI base) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
        socket.setSoTimeout(10_000);
        return new RawWebSocket(socket);
    }

    /** Opens a WebSocket with a correct handshake; fails unless the server answers 101. */
    public static RawWebSocket open(URI base, String pathAndQuery) throws IOException {
        RawWebSocket ws = tcp(base);
        String key = Base64.getEncoder().encodeToString(randomBytes(16));
        ws.writeAscii("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                + "\r\nSec-WebSocket-Version: 13\r\nOrigin: http://localhost\r\n\r\n");
        String head = ws.readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            ws.close();
            throw new IOException("upgrade refused: " + head);
        }
        return ws;
    }

    /**
     * Sends an application ping and reads up to its pong: once it arrives, the server has opened the connection
     * (its {@code @OnOpen} ran before any frame is handled).
     */
    public RawWebSocket awaitOpen() throws IOException {
        sendText("{\"type\":\"ping\",\"ref\":\"open\"}");
        while (true) {
            Frame frame = readFrame();
            if (frame == null) {
                throw new IOException("closed before the pong");
            }
            if (frame.opcode() == 0x1 && frame.text().contains("\"pong\"")) {
                return this;
            }
        }
    }

    public void writeAscii(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads an HTTP response head (status line and headers). */
    public String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** The HTTP status code of the response to whatever was written. */
    public int readStatus() throws IOException {
        String head = readHead();
        String[] parts = head.split(" ", 3);
        if (parts.length < 2) {
            throw new IOException("no HTTP response: '" + head + "'");
        }
        return Integer.parseInt(parts[1]);
    }

    /** Writes one masked client frame. {@code firstByte} holds FIN, RSV1-3 and the opcode. */
    public void writeFrame(int firstByte, byte[] payload, boolean masked) throws IOException {
        writeBytes(frame(firstByte, payload, masked));
    }

    /** Writes bytes in one write, for example several {@link #frame}s that the server should get in one read. */
    public void writeBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One client frame on the wire. {@code firstByte} holds FIN, RSV1-3 and the opcode. */
    public static byte[] frame(int firstByte, byte[] payload, boolean masked) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            frame.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            frame.write(maskBit | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xFF);
            }
        }
        byte[] body = payload.clone();
        if (masked) {
            byte[] mask = randomBytes(4);
            frame.write(mask, 0, mask.length);
            for (int i = 0; i < body.length; i++) {
                body[i] ^= mask[i % 4];
            }
        }
        frame.write(body, 0, body.length);
        return frame.toByteArray();
    }

    /** A final, masked text frame. */
    public void sendText(String text) throws IOException {
        writeFrame(0x81, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** One frame received from the server. */
    public record Frame(int opcode, byte[] payload) {

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }

    /** Reads the next frame; {@code null} when the server closed the TCP connection. */
    public Frame readFrame() throws IOException {
        DataInputStream data = new DataInputStream(in);
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int second = data.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = data.readUnsignedShort();
        } else if (length == 127) {
            length = data.readLong();
        }
        byte[] payload = new byte[(int) length];
        data.readFully(payload);
        return new Frame(first & 0x0F, payload);
    }

    /** Reads frames until a close frame and returns its code; 1006 when the TCP connection ends without one. */
    public int awaitCloseCode() throws IOException {
        try {
            while (true) {
                Frame frame = readFrame();
                if (frame == null) {
                    return 1006;
                }
                if (frame.opcode() == 0x8) {
                    return frame.closeCode();
                }
            }
        } catch (java.io.EOFException | java.net.SocketException e) {
            return 1006;
        }
    }

    /** Whether the server has closed the TCP connection (reads until end of stream or the timeout). */
    public boolean awaitEndOfStream() throws IOException {
        try {
            while (in.read() >= 0) {
                // discard
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a test socket: nothing to do
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
