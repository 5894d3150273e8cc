package io.realtimegateway.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A real client of the HTTP fallback transport (Server-Sent Events) over real sockets, for tests: the JDK's
 * {@link HttpClient} reads the event stream on its own thread, parses its events (with their {@code id:}) and counts
 * its comment lines; {@link #post} sends frames as a browser's {@code fetch} would. Every wait is bounded.
 */
public final class SseClient implements AutoCloseable {

    public static final Duration TIMEOUT = WsClient.TIMEOUT;

    /** The Origin tests send: one the test profile allows. */
    public static final String ORIGIN = "http://localhost:3000";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** One event: its {@code id:} (or {@code null}) and its frame. */
    public record Event(String id, JsonObject frame) {
    }

    private final URI base;
    private final String endpoint;
    private final String token;
    private final int status;
    private final Stream<String> lines;
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final String session;

    private SseClient(URI base, String endpoint, String token, HttpResponse<Stream<String>> response) {
        this.base = base;
        this.endpoint = endpoint;
        this.token = token;
        this.status = response.statusCode();
        this.lines = response.body();
        if (status != 200) {
            lines.close();
            ended.complete(null);
            session = null;
            return;
        }
        Thread reader = new Thread(this::read, "sse-client-reader");
        reader.setDaemon(true);
        reader.start();
        session = next("session").getString("session");
    }

    /** Opens {@code /sse/<endpoint>} with a query token and an allowed Origin; fails the test unless it is 200. */
    public static SseClient open(URI base, String endpoint, String token) {
        return open(base, endpoint, token, "", Map.of());
    }

    /**
     * Opens {@code /sse/<endpoint>?access_token=<token><query>} with the allowed Origin and the given headers (which
     * may replace it); fails the test unless it is 200.
     */
    public static SseClient open(URI base, String endpoint, String token, String query, Map<String, String> headers) {
        SseClient client = attempt(base, endpoint, token, query, headers);
        if (client.status != 200) {
            throw new AssertionError("the event stream was refused with " + client.status);
        }
        return client;
    }

    /** Opens a stream and returns the client whatever the status ({@link #status()}). */
    public static SseClient attempt(URI base, String endpoint, String token, String query,
            Map<String, String> headers) {
        String tokenParameter = token == null ? "" : "access_token=" + token;
        String separator = tokenParameter.isEmpty() || query.isEmpty() ? "" : "&";
        String all = tokenParameter + separator + query;
        HttpRequest.Builder request = HttpRequest.newBuilder(
                base.resolve("/sse/" + endpoint + (all.isEmpty() ? "" : "?" + all)))
                .header("Accept", "text/event-stream");
        if (!headers.containsKey("Origin")) {
            request.header("Origin", ORIGIN);
        }
        headers.forEach((name, value) -> {
            if (value != null) {
                request.setHeader(name, value);
            }
        });
        try {
            HttpResponse<Stream<String>> response = HTTP.sendAsync(request.build(),
                    HttpResponse.BodyHandlers.ofLines()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new SseClient(base, endpoint, token, response);
        } catch (Exception e) {
            throw new AssertionError("the event stream did not answer within " + TIMEOUT, e);
        }
    }

    private void read() {
        String id = null;
        StringBuilder data = null;
        try {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, new JsonObject(data.toString())));
                    }
                    id = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    String value = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                }
            }
        } catch (RuntimeException e) {
            // The stream was cut or closed: the end below says so.
        }
        ended.complete(null);
    }

    /** The HTTP status of the stream's response. */
    public int status() {
        return status;
    }

    /** The session id of the stream's first event. */
    public String session() {
        return session;
    }

    /** Posts {@code body} to the stream's session with this client's token (Authorization header) and Origin. */
    public int post(String body) {
        return post(body, token, Map.of());
    }

    public int post(JsonObject frame) {
        return post(frame.encode());
    }

    /** Posts frames as one JSON array. */
    public int post(List<JsonObject> frames) {
        return post(new JsonArray(new ArrayList<>(frames)).encode());
    }

    /** Posts {@code body} to the stream's session with the given token (none when {@code null}) and headers. */
    public int post(String body, String withToken, Map<String, String> headers) {
        return postTo(base, endpoint, session, body, withToken, headers);
    }

    /** Posts {@code body} to any session id. */
    public static int postTo(URI base, String endpoint, String session, String body, String token,
            Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/sse/" + endpoint + "/" + session))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (!headers.containsKey("Origin")) {
            request.header("Origin", ORIGIN);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::setHeader);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new AssertionError("the post did not complete", e);
        }
    }

    /** Posts a frame and returns the first frame on the stream that carries its {@code ref}. */
    public JsonObject request(JsonObject frame) {
        String ref = frame.getString("ref");
        int answer = post(frame);
        if (answer != 202) {
            throw new AssertionError("the post was answered " + answer);
        }
        return next(f -> ref.equals(f.getString("ref")));
    }

    /** Waits for the next event whose frame matches; events before it are consumed. */
    public Event nextEvent(Predicate<JsonObject> match) {
        return Arrivals.next(events, event -> match.test(event.frame()), TIMEOUT, Event::frame,
                () -> ended.isDone() ? "; the stream ended" : "");
    }

    public JsonObject next(Predicate<JsonObject> match) {
        return nextEvent(match).frame();
    }

    public JsonObject next(String type) {
        return next(f -> type.equals(f.getString("type")));
    }

    /** Events received and not yet consumed. */
    public List<Event> pending() {
        return new ArrayList<>(events);
    }

    /** Comment lines (heartbeats) received so far. */
    public int comments() {
        return comments.get();
    }

    /** Waits for the server to end the stream. */
    public void awaitEnd() {
        try {
            ended.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the stream did not end within " + TIMEOUT, e);
        }
    }

    public boolean hasEnded() {
        return ended.isDone();
    }

    @Override
    public void close() {
        lines.close();
    }
}
