package io.realtimegateway.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.realtimegateway.support.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * The benchmark's load generator: real WebSocket clients on Vert.x event loops, speaking the gateway's wire protocol,
 * so the same load runs against realtime-gateway and against the Node reference. Prints one JSON object per run.
 * Every loop is bounded in count and time; all traffic goes to loopback.
 * <pre>
 * capacity HOST PORT SERVER_PID N               N idle connections: connect rate, failures, server RSS per connection
 * fanout   HOST PORT SUBSCRIBERS MESSAGES RATE [text|binary BYTES]
 *                                               one publisher, SUBSCRIBERS in one room, MESSAGES at RATE/s (0: as
 *                                               fast as acks allow): deliveries/s, latency p50/p99/max, losses; the
 *                                               data is {"t":N}, or padded to about BYTES of JSON (text), or BYTES of
 *                                               bytes in a binary frame whose first 8 are N (binary)
 * cross    HOST PORT_A PORT_B SUBSCRIBERS MESSAGES RATE   publisher on A, subscribers on B
 * ssefanout HOST PORT SUBSCRIBERS MESSAGES RATE [text|binary BYTES]
 *                                               as fanout, the subscribers on event streams (GET /sse/chat?room=)
 * echo     HOST PORT MESSAGES IN_FLIGHT         ping/pong round trips with IN_FLIGHT outstanding
 * footprint HOST PORT SERVER_PID N1 N2          N1 idle connections, then N2 in all: the server's RSS per connection
 *                                               at each (from its RSS before the first), and their connect rate
 * accept   HOST PORT RATE SECONDS               open loop: a new authenticated connection every 1/RATE s for
 *                                               SECONDS; accepted/s, handshake p50/p99/max from the moment each was
 *                                               due (so a server that falls behind is charged for the wait), failures
 * </pre>
 */
public final class LoadGen {

    private static final int EVENT_LOOPS = 2;
    private static final int TOKEN_POOL = 64;

    /** The Origin every benchmark connection sends; the servers under test allow it. */
    public static final String ORIGIN = "http://localhost";

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS));
    private final List<String> tokens = new ArrayList<>();

    private LoadGen() {
        for (int i = 0; i < TOKEN_POOL; i++) {
            tokens.add(Tokens.user("load-" + i));
        }
    }

    public static void main(String[] args) throws Exception {
        LoadGen gen = new LoadGen();
        String result = switch (args[0]) {
            case "capacity" -> gen.capacity(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]),
                    Integer.parseInt(args[4]));
            case "fanout" -> gen.fanout(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                    args.length > 7 ? new Payload(args[6], Integer.parseInt(args[7])) : Payload.SMALL);
            case "ssefanout" -> gen.fanout(args[1], Integer.parseInt(args[2]), -1, Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                    args.length > 7 ? new Payload(args[6], Integer.parseInt(args[7])) : Payload.SMALL);
            case "cross" -> gen.fanout(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]), Payload.SMALL);
            case "footprint" -> gen.footprint(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            case "accept" -> gen.accept(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
            case "echo" -> gen.echo(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
            default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
        };
        // The load generator's own CPU beside the server's: a result where it saturated its core says little.
        long cpuMs = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
        System.out.println(result.substring(0, result.length() - 1) + ",\"client_cpu_ms\":" + cpuMs + "}");
        System.exit(0);
    }

    // ---- connections -------------------------------------------------------------------------------------------

    /** One client per source address 127.0.0.x, so that many connections do not exhaust one address's ports. */
    private final List<WebSocketClient> clients = new ArrayList<>();

    private WebSocketClient client(int index) {
        int address = 1 + index / 20_000;
        while (clients.size() < address) {
            clients.add(vertx.createWebSocketClient(new WebSocketClientOptions()
                    .setLocalAddress("127.0.0." + (clients.size() + 1)).setMaxConnections(Integer.MAX_VALUE)
                    .setConnectTimeout(30_000).setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20)));
        }
        return clients.get(address - 1);
    }

    private Future<WebSocket> connect(int index, String host, int port, String path) {
        String token = tokens.get(index % tokens.size());
        // As a browser would: the token in the query, and an Origin both servers are configured to allow.
        return client(index).connect(new WebSocketConnectOptions().setHost(host).setPort(port)
                .setURI(path + "?access_token=" + token).addHeader("Origin", ORIGIN));
    }

    /** Opens {@code n} connections with at most 256 handshakes in flight; returns them and counts failures. */
    private List<WebSocket> openMany(String host, int port, String path, int n, AtomicLong failures,
            java.util.function.Consumer<WebSocket> setup, Runnable onFailure) throws InterruptedException {
        return openMany(0, host, port, path, n, failures, setup, onFailure);
    }

    /** As above, numbering the connections from {@code from} (so that more connections use the next tokens). */
    private List<WebSocket> openMany(int from, String host, int port, String path, int n, AtomicLong failures,
            java.util.function.Consumer<WebSocket> setup, Runnable onFailure) throws InterruptedException {
        return openAll(n, i -> connect(from + i, host, port, path).map(ws -> {
            setup.accept(ws);
            return ws;
        }), failures, onFailure);
    }

    /**
     * Runs {@code open} for 0 to {@code n - 1} with at most 256 in flight; returns what succeeded, and counts failures.
     */
    private static <T> List<T> openAll(int n, java.util.function.IntFunction<Future<T>> open, AtomicLong failures,
            Runnable onFailure) throws InterruptedException {
        ConcurrentLinkedQueue<T> opened = new ConcurrentLinkedQueue<>();
        Semaphore inFlight = new Semaphore(256);
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            inFlight.acquire();
            open.apply(i).onComplete(ar -> {
                if (ar.succeeded()) {
                    opened.add(ar.result());
                } else {
                    failures.incrementAndGet();
                    onFailure.run();
                }
                inFlight.release();
                done.countDown();
            });
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("connections did not complete within 10 minutes");
        }
        return new ArrayList<>(opened);
    }

    /**
     * Opens {@code n} event streams of the HTTP fallback with at most 256 requests in flight, each handing every
     * event's data (one server frame) to {@code frameReceived}; returns what closes each, and counts failures. The
     * stream of one room joins it at the opening, answered with an ack.
     */
    private List<Runnable> openStreams(String host, int port, String pathAndQuery, int n, AtomicLong failures,
            java.util.function.Consumer<io.vertx.core.buffer.Buffer> frameReceived, Runnable onFailure)
            throws InterruptedException {
        io.vertx.core.http.HttpClient http = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
                .setMaxPoolSize(2 * n).setConnectTimeout(30_000).setKeepAlive(true));
        return openAll(n, i -> http.request(new io.vertx.core.http.RequestOptions().setHost(host).setPort(port)
                .setURI(pathAndQuery + "&access_token=" + tokens.get(i % tokens.size())).addHeader("Origin", ORIGIN)
                .addHeader("Accept", "text/event-stream"))
                .compose(request -> request.send()).compose(response -> {
                    if (response.statusCode() != 200) {
                        return Future.failedFuture("status " + response.statusCode());
                    }
                    response.handler(new EventSplitter(frameReceived)::chunk);
                    response.exceptionHandler(e -> {
                    });
                    return Future.succeededFuture((Runnable) () -> response.request().connection().close());
                }), failures, onFailure);
    }

    /**
     * Cuts one event stream's chunks into events and hands each event's data to a consumer, without a String per
     * event: the bytes after {@code data: } up to the event's blank line. Confined to the stream's event loop.
     */
    private static final class EventSplitter {
        private static final byte[] DATA = "data: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        private final java.util.function.Consumer<io.vertx.core.buffer.Buffer> consumer;
        private io.vertx.core.buffer.Buffer rest = io.vertx.core.buffer.Buffer.buffer();

        EventSplitter(java.util.function.Consumer<io.vertx.core.buffer.Buffer> consumer) {
            this.consumer = consumer;
        }

        void chunk(io.vertx.core.buffer.Buffer chunk) {
            io.vertx.core.buffer.Buffer bytes = rest.length() == 0 ? chunk : rest.appendBuffer(chunk);
            int start = 0;
            for (int i = 0; i + 1 < bytes.length(); i++) {
                if (bytes.getByte(i) == '\n' && bytes.getByte(i + 1) == '\n') {
                    int data = indexOf(bytes, DATA, start, i);
                    if (data >= 0) {
                        consumer.accept(bytes.slice(data + DATA.length, i));
                    }
                    start = i + 2;
                    i++;
                }
            }
            rest = start >= bytes.length() ? io.vertx.core.buffer.Buffer.buffer()
                    : io.vertx.core.buffer.Buffer.buffer().appendBuffer(bytes, start, bytes.length() - start);
        }
    }

    // ---- scenarios ---------------------------------------------------------------------------------------------

    private String capacity(String host, int port, long serverPid, int n) throws Exception {
        long rssBefore = rssKib(serverPid);
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime();
        List<WebSocket> sockets = openMany(host, port, "/ws/chat", n, failures, ws -> ws.exceptionHandler(e -> {
        }), () -> {
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        idle(3_000);
        long rssAfter = rssKib(serverPid);
        closeAll(sockets);
        return String.format(Locale.ROOT,
                "{\"scenario\":\"capacity\",\"connections\":%d,\"open\":%d,\"failures\":%d,\"connect_per_s\":%.0f,"
                        + "\"rss_before_kib\":%d,\"rss_after_kib\":%d,\"rss_per_conn_kib\":%.2f}",
                n, sockets.size(), failures.get(), sockets.size() / seconds, rssBefore, rssAfter,
                sockets.isEmpty() ? 0.0 : (rssAfter - rssBefore) / (double) sockets.size());
    }

    private String footprint(String host, int port, long serverPid, int first, int all) throws Exception {
        long rssBefore = rssKib(serverPid);
        AtomicLong failures = new AtomicLong();
        List<WebSocket> sockets = new ArrayList<>(openMany(host, port, "/ws/chat", first, failures, ws -> ws
                .exceptionHandler(e -> {
                }), () -> {
                }));
        idle(3_000);
        long rssFirst = rssKib(serverPid);
        int openFirst = sockets.size();
        List<WebSocket> more = openMany(first, host, port, "/ws/chat", all - first, failures, ws -> ws
                .exceptionHandler(e -> {
                }), () -> {
                });
        sockets.addAll(more);
        idle(3_000);
        long rssAll = rssKib(serverPid);
        closeAll(sockets);
        return String.format(Locale.ROOT,
                "{\"scenario\":\"footprint\",\"first\":%d,\"all\":%d,\"open\":%d,\"failures\":%d,"
                        + "\"rss_before_kib\":%d,\"rss_first_kib\":%d,\"rss_all_kib\":%d,"
                        + "\"rss_per_conn_first_kib\":%.2f,\"rss_per_conn_all_kib\":%.2f}",
                first, all, sockets.size(), failures.get(), rssBefore, rssFirst, rssAll,
                openFirst == 0 ? 0.0 : (rssFirst - rssBefore) / (double) openFirst,
                sockets.isEmpty() ? 0.0 : (rssAll - rssBefore) / (double) sockets.size());
    }

    private String accept(String host, int port, int rate, int seconds) throws Exception {
        // Upgrades written as raw bytes (RawUpgrades): a full WebSocket client cost as much CPU per handshake as the
        // servers and saturated its core near 1,000/s. A warm-up run first (the client's own JIT, the server's first
        // upgrades), then the measured one.
        RawUpgrades upgrades = new RawUpgrades(host, port, "/ws/chat", tokens, ORIGIN);
        upgrades.run(250, 2);
        idle(1_000);
        long serverCpuBefore = serverCpuMs();
        long clientCpuBefore = clientCpuMs();
        RawUpgrades.Result result = upgrades.run(rate, seconds);
        long phaseServerCpu = serverCpuMs() - serverCpuBefore;
        long phaseClientCpu = clientCpuMs() - clientCpuBefore;
        LatencyRecorder latencies = result.latencies();
        return String.format(Locale.ROOT,
                "{\"scenario\":\"accept\",\"rate\":%d,\"seconds\":%d,\"open\":%d,\"failures\":%d,"
                        + "\"accepted_per_s\":%.0f,\"p50_ms\":%.1f,\"p99_ms\":%.1f,\"max_ms\":%.1f,"
                        + "\"phase_s\":%.2f,\"phase_server_cpu_ms\":%d,\"phase_client_cpu_ms\":%d}",
                rate, seconds, result.upgraded(), result.failed(),
                result.seconds() > 0 ? result.upgraded() / result.seconds() : 0.0, latencies.percentile(0.50) / 1e3,
                latencies.percentile(0.99) / 1e3, latencies.max() / 1e3, Math.max(result.seconds(), seconds),
                phaseServerCpu, phaseClientCpu);
    }

    /**
     * What a fan-out message carries: {@code small} ({@code {"t":N}}), {@code text} (JSON data of about
     * {@code bytes}: {@code {"t":N,"pad":"xx.."}}) or {@code binary} ({@code bytes} bytes, N in the first 8).
     */
    record Payload(String kind, int bytes) {
        static final Payload SMALL = new Payload("small", 0);
    }

    /**
     * One publisher on a WebSocket and {@code subscribers} in one room, on WebSockets to {@code subscriberPort}, or on
     * event streams to the publisher's port when {@code subscriberPort} is -1.
     */
    private String fanout(String host, int publisherPort, int subscriberPort, int subscribers, int messages, int rate,
            Payload payload) throws Exception {
        String room = "fan-" + System.nanoTime();
        ThreadLocal<LatencyRecorder> local = new ThreadLocal<>();
        ConcurrentLinkedQueue<LatencyRecorder> allRecorders = new ConcurrentLinkedQueue<>();
        AtomicLong received = new AtomicLong();
        AtomicLong expectedCount = new AtomicLong();
        CountDownLatch allReceived = new CountDownLatch(1);
        AtomicLong failures = new AtomicLong();
        AtomicLong joined = new AtomicLong();
        CountDownLatch allJoined = new CountDownLatch(subscribers);
        // A message's send time, from the payload: its latency is recorded; an ack counts a join.
        java.util.function.LongConsumer delivered = sent -> {
            if (sent < 0) {
                return;
            }
            LatencyRecorder recorder = local.get();
            if (recorder == null) {
                recorder = new LatencyRecorder();
                local.set(recorder);
                allRecorders.add(recorder);
            }
            recorder.record((System.nanoTime() - sent) / 1_000);
            if (received.incrementAndGet() == expectedCount.get()) {
                allReceived.countDown();
            }
        };
        // One server frame's JSON bytes (a text WebSocket frame's payload, an event's data; a binary message on an
        // event stream is its header's fields and the payload in base64).
        java.util.function.Consumer<io.vertx.core.buffer.Buffer> frameReceived = bytes -> {
            if (startsWith(bytes, ACK)) {
                joined.incrementAndGet();
                allJoined.countDown();
                return;
            }
            long sent = sentNanos(bytes);
            delivered.accept(sent >= 0 ? sent : eventBinarySentNanos(bytes));
        };
        List<Runnable> subs = subscriberPort < 0
                ? openStreams(host, publisherPort, "/sse/chat?room=" + room, subscribers, failures, frameReceived,
                        allJoined::countDown)
                : openMany(host, subscriberPort, "/ws/chat", subscribers, failures, ws -> {
                    ws.exceptionHandler(e -> {
                    });
                    // Whole frames as bytes: no message aggregation and no String per delivery, so that the client
                    // stays cheaper than the server it measures (the servers send every message as one frame).
                    ws.frameHandler(frame -> {
                        if (frame.isText()) {
                            frameReceived.accept(frame.binaryData());
                        } else if (frame.isBinary()) {
                            delivered.accept(binarySentNanos(frame.binaryData()));
                        }
                    });
                    ws.writeTextMessage("{\"type\":\"join\",\"room\":\"" + room + "\",\"ref\":\"j\"}");
                }, allJoined::countDown).stream().map(ws -> (Runnable) ws::close).toList();
        if (!allJoined.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("only " + joined.get() + " of " + subscribers + " joined");
        }
        long expected = (long) subs.size() * messages;
        expectedCount.set(expected);
        WebSocket publisher = connect(TOKEN_POOL - 1, host, publisherPort, "/ws/chat").toCompletionStage()
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        Semaphore window = new Semaphore(rate > 0 ? Integer.MAX_VALUE : 64);
        CompletableFuture<Void> publisherJoined = new CompletableFuture<>();
        publisher.textMessageHandler(text -> {
            if (text.contains("\"ref\":\"pj\"")) {
                publisherJoined.complete(null);
            } else if (text.startsWith("{\"type\":\"ack\"")) {
                window.release();
            }
        });
        publisher.writeTextMessage("{\"type\":\"join\",\"room\":\"" + room + "\",\"ref\":\"pj\"}");
        publisherJoined.get(30, TimeUnit.SECONDS);

        // The message phase's CPU apart from the connection phase's: handshakes cost more than the deliveries.
        long serverCpuBefore = serverCpuMs();
        long clientCpuBefore = clientCpuMs();
        long start = System.nanoTime();
        long intervalNanos = rate > 0 ? 1_000_000_000L / rate : 0;
        // Text data of about payload.bytes() in all ({"t":<19 digits>,"pad":"..."}), and the binary frame's header.
        String pad = "x".repeat(Math.max(0, payload.bytes() - 34));
        byte[] header = ("{\"type\":\"publish\",\"room\":\"" + room + "\",\"ref\":\"p\"}")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] binaryHeader = new byte[2 + header.length];
        binaryHeader[0] = (byte) (header.length >>> 8);
        binaryHeader[1] = (byte) header.length;
        System.arraycopy(header, 0, binaryHeader, 2, header.length);
        for (int i = 0; i < messages; i++) {
            if (rate > 0) {
                // Parks until the message is due: a spin here would take the core from the client's event loops,
                // which share it, and the client would become the bottleneck it must not be.
                long due = start + i * intervalNanos;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
            } else if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no ack for 30 s at message " + i);
            }
            switch (payload.kind()) {
                case "binary" -> publisher.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(binaryHeader)
                        .appendLong(System.nanoTime()).appendBytes(new byte[Math.max(0, payload.bytes() - 8)]));
                case "text" -> publisher.writeTextMessage("{\"type\":\"publish\",\"room\":\"" + room
                        + "\",\"ref\":\"p\",\"data\":{\"t\":" + System.nanoTime() + ",\"pad\":\"" + pad + "\"}}");
                default -> publisher.writeTextMessage("{\"type\":\"publish\",\"room\":\"" + room
                        + "\",\"ref\":\"p\",\"data\":{\"t\":" + System.nanoTime() + "}}");
            }
        }
        allReceived.await(Math.max(30, messages / Math.max(1, rate) + 30), TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        long phaseServerCpu = serverCpuMs() - serverCpuBefore;
        long phaseClientCpu = clientCpuMs() - clientCpuBefore;
        LatencyRecorder all = LatencyRecorder.merge(new ArrayList<>(allRecorders));
        subs.forEach(Runnable::run);
        publisher.close();
        return String.format(Locale.ROOT,
                "{\"scenario\":\"%s\",\"payload\":\"%s\",\"payload_bytes\":%d,\"subscribers\":%d,\"messages\":%d,"
                        + "\"rate\":%d,\"connect_failures\":%d,"
                        + "\"delivered\":%d,\"lost\":%d,\"deliveries_per_s\":%.0f,\"p50_us\":%d,\"p99_us\":%d,"
                        + "\"max_us\":%d,\"phase_s\":%.2f,\"phase_server_cpu_ms\":%d,\"phase_client_cpu_ms\":%d}",
                subscriberPort < 0 ? "ssefanout" : publisherPort == subscriberPort ? "fanout" : "cross",
                payload.kind(), payload.bytes(), subscribers, messages, rate, failures.get(),
                received.get(), expected - received.get(), received.get() / seconds, all.percentile(0.5),
                all.percentile(0.99), all.max(), seconds, phaseServerCpu, phaseClientCpu);
    }

    private String echo(String host, int port, int messages, int inFlight) throws Exception {
        WebSocket socket = connect(0, host, port, "/ws/chat").toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        LatencyRecorder recorder = new LatencyRecorder();
        Semaphore window = new Semaphore(inFlight);
        CountDownLatch done = new CountDownLatch(messages);
        socket.textMessageHandler(text -> {
            long sent = refNanos(text);
            if (sent > 0) {
                synchronized (recorder) {
                    recorder.record((System.nanoTime() - sent) / 1_000);
                }
                window.release();
                done.countDown();
            }
        });
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no pong for 30 s");
            }
            socket.writeTextMessage("{\"type\":\"ping\",\"ref\":\"" + System.nanoTime() + "\"}");
        }
        done.await(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        socket.close();
        return String.format(Locale.ROOT,
                "{\"scenario\":\"echo\",\"in_flight\":%d,\"messages\":%d,\"round_trips_per_s\":%.0f,"
                        + "\"p50_us\":%d,\"p99_us\":%d,\"max_us\":%d}",
                inFlight, recorder.count(), recorder.count() / seconds, recorder.percentile(0.5),
                recorder.percentile(0.99), recorder.max());
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** The publisher's nanoTime in {@code "data":{"t":N}}, read without a JSON parser; -1 for other frames. */
    private static final byte[] ACK = "{\"type\":\"ack\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] SENT = "\"data\":{\"t\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static boolean startsWith(io.vertx.core.buffer.Buffer bytes, byte[] prefix) {
        return indexOf(bytes, prefix, 0, 1) == 0;
    }

    /** The nanoTime in {@code "data":{"t":N}} of a message frame's bytes; -1 for other frames. */
    static long sentNanos(io.vertx.core.buffer.Buffer bytes) {
        int at = indexOf(bytes, SENT, 0, bytes.length());
        if (at < 0) {
            return -1;
        }
        long value = 0;
        for (int i = at + SENT.length; i < bytes.length(); i++) {
            byte c = bytes.getByte(i);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The nanoTime in the first 8 payload bytes of a binary message (2-byte header length, header, payload). */
    static long binarySentNanos(io.vertx.core.buffer.Buffer bytes) {
        if (bytes.length() < 2) {
            return -1;
        }
        int payloadAt = 2 + bytes.getUnsignedShort(0);
        return bytes.length() < payloadAt + 8 ? -1 : bytes.getLong(payloadAt);
    }

    private static final byte[] BASE64_PAYLOAD = "\"payload\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * The nanoTime in the first 8 payload bytes of a binary message received as an event ({@code "payload":"<base64>"}
     * in its data); -1 for other frames.
     */
    static long eventBinarySentNanos(io.vertx.core.buffer.Buffer bytes) {
        int at = indexOf(bytes, BASE64_PAYLOAD, 0, bytes.length());
        if (at < 0 || bytes.length() < at + BASE64_PAYLOAD.length + 12) {
            return -1;
        }
        int from = at + BASE64_PAYLOAD.length;
        // 12 base64 characters are 9 bytes: the first 8 hold N.
        byte[] first = java.util.Base64.getDecoder().decode(bytes.getBytes(from, from + 12));
        return java.nio.ByteBuffer.wrap(first).getLong();
    }

    /** Where {@code pattern} starts in {@code bytes} at or after {@code from} and before {@code until}; -1 if not. */
    private static int indexOf(io.vertx.core.buffer.Buffer bytes, byte[] pattern, int from, int until) {
        int last = Math.min(until, bytes.length() - pattern.length + 1);
        outer:
        for (int i = from; i < last; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes.getByte(i + j) != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The nanoTime in {@code "ref":"N"} of a pong; -1 for other frames. */
    static long refNanos(String text) {
        if (!text.startsWith("{\"type\":\"pong\"")) {
            return -1;
        }
        int at = text.indexOf("\"ref\":\"");
        return at < 0 ? -1 : digits(text, at + 7);
    }

    private static long digits(String text, int from) {
        long value = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** CPU time (user + system) of the processes in the system property {@code loadgen.server-pids}, in ms; -1 without. */
    private static long serverCpuMs() throws Exception {
        String pids = System.getProperty("loadgen.server-pids", "").trim();
        if (pids.isEmpty()) {
            return -1;
        }
        long ticks = 0;
        for (String pid : pids.split("[ ,]+")) {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        }
        return ticks * 10; // USER_HZ is 100 on Linux
    }

    private static long clientCpuMs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
    }

    private static long rssKib(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static void closeAll(List<WebSocket> sockets) {
        sockets.forEach(WebSocket::close);
    }

    private static void idle(long millis) throws InterruptedException {
        // A benchmark, not a test: let the server settle before reading its RSS.
        Thread.sleep(millis);
    }
}
