package io.realtimegateway.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many times a Redis server ran a command, as Redis itself counts it ({@code INFO commandstats}, which also counts
 * the commands that Lua scripts call), read over a plain socket of its own. For tests that count the reads a
 * behaviour costs, without a mock and without {@code MONITOR}.
 */
public final class RedisCommandStats {

    private RedisCommandStats() {
    }

    /** The {@code calls} of {@code command} (for example {@code xrange}) since the server started; 0 if never. */
    public static long calls(int port, String command) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("INFO commandstats\r\n".getBytes(StandardCharsets.US_ASCII));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            String header = line(in);
            if (!header.startsWith("$")) {
                throw new IllegalStateException("unexpected reply to INFO: " + header);
            }
            byte[] body = new byte[Integer.parseInt(header.substring(1))];
            in.readFully(body);
            Matcher calls = Pattern.compile("cmdstat_" + command.toLowerCase(Locale.ROOT) + ":calls=(\\d+)")
                    .matcher(new String(body, StandardCharsets.UTF_8));
            return calls.find() ? Long.parseLong(calls.group(1)) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String line(DataInputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("Redis closed the connection");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
