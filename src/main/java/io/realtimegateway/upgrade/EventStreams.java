package io.realtimegateway.upgrade;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.arc.InjectableInstance;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.HttpUpgradeCheck.CheckResult;
import io.quarkus.websockets.next.HttpUpgradeCheck.HttpUpgradeContext;
import io.quarkus.websockets.next.UserData;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.message.Endpoint;
import io.realtimegateway.message.Identity;
import io.realtimegateway.protocol.Json;
import io.realtimegateway.protocol.ServerFrames;
import io.realtimegateway.session.ClientSession;
import io.realtimegateway.session.ConnectionRegistry;
import io.realtimegateway.session.SessionHandler;
import io.realtimegateway.transport.SseStream;
import io.realtimegateway.transport.TransportSetup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The HTTP fallback transport's admission and inbound side: event streams ({@code GET /sse/chat},
 * {@code GET /sse/notifications}) and the frames their clients post ({@code POST /sse/<endpoint>/<session>}).
 * <p>
 * Opening a stream runs every {@link HttpUpgradeCheck} that applies to it, in their order ({@link UpgradeCheckOrder}),
 * exactly as a WebSocket upgrade does, so the statuses are the same: drain {@code 503}, Origin {@code 403}, upgrades
 * per address {@code 429}, token {@code 401}/{@code 403}, connections per user {@code 429} (an event stream counts as
 * a connection, and gives its slot back when it ends). Only the transport check is not for it. An admitted stream gets
 * a session id (128 random bits), sent as its first event {@code {"type":"session","session":..}}, then the session's
 * frames as events.
 * <p>
 * A post is for the session's own user only: it must pass the Origin check and carry a token of that user (the
 * stream's own token, recognised by its digest without a second verification, or any other valid token of the same
 * user, then remembered): {@code 404} for an unknown session, {@code 401}/{@code 403} as at the upgrade, {@code 403}
 * for a token of another user, {@code 413} for a body over {@code gateway.limits.max-message-size}, {@code 400} for a
 * body that is not UTF-8; else {@code 202}, and its frames (one JSON frame, or a JSON array of frames) go to the
 * endpoint's {@link SessionHandler} one by one on the stream's event loop, as a WebSocket's messages do: the inbound
 * rate counts each, and every answer comes on the stream.
 * <p>
 * Browsers may open streams from another allowed origin: responses to an allowed {@code Origin} carry CORS headers
 * (with credentials), and the preflight of a post is answered ({@link #preflight}).
 * <p>
 * Threading: called on the request's event loop; never blocks (token verification runs on a worker thread, as at the
 * upgrade).
 */
@ApplicationScoped
public class EventStreams {

    private static final Logger LOG = Logger.getLogger(EventStreams.class);

    /** The prefix of the endpoint ids the upgrade checks see for event streams ({@code sse:chat}). */
    static final String ENDPOINT_PREFIX = "sse:";

    @Inject
    @Any
    InjectableInstance<HttpUpgradeCheck> checks;

    @Inject
    TransportSetup transport;

    @Inject
    SessionFactory sessions;

    @Inject
    ConnectionRegistry registry;

    @Inject
    GatewayConfig config;

    @Inject
    OriginUpgradeCheck origin;

    @Inject
    TokenUpgradeCheck token;

    private final SecureRandom random = new SecureRandom();
    private final ConcurrentMap<String, Stream> streams = new ConcurrentHashMap<>();
    private volatile List<HttpUpgradeCheck> ordered;
    private volatile OriginPolicy cors;

    /** An open stream: its link, its endpoint, and the token its posts are recognised by without verification. */
    private static final class Stream {
        final SseLink link;
        final Endpoint endpoint;
        volatile Grant grant;

        Stream(SseLink link, Endpoint endpoint, Grant grant) {
            this.link = link;
            this.endpoint = endpoint;
            this.grant = grant;
        }
    }

    /** A verified token of the stream's user: its SHA-256 and its expiry (0: none). */
    private record Grant(byte[] digest, long expiresAtMillis) {

        boolean admits(String token) {
            return token != null && (expiresAtMillis == 0 || System.currentTimeMillis() < expiresAtMillis)
                    && MessageDigest.isEqual(digest, sha256(token));
        }
    }

    /** The context the upgrade checks see for a request of this transport. */
    private record Context(HttpServerRequest httpRequest, UserData userData, String endpointId)
            implements HttpUpgradeContext {

        @Override
        public String pathParam(String name) {
            return null;
        }

        @Override
        public Uni<SecurityIdentity> securityIdentity() {
            return Uni.createFrom().nullItem();
        }
    }

    /** Whether an upgrade check's endpoint id is an event stream's. */
    static boolean isEventStream(String endpointId) {
        return endpointId != null && endpointId.startsWith(ENDPOINT_PREFIX);
    }

    /** Opens the event stream of {@code endpoint} for {@code request}, or refuses it with the checks' status. */
    public void open(HttpServerRequest request, Endpoint endpoint, SessionHandler handler) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept != null && !accept.contains("text/event-stream") && !accept.contains("*/*")) {
            respond(request, 406, Map.of(), "this is an event stream: Accept must allow text/event-stream\n");
            return;
        }
        RequestUserData userData = new RequestUserData();
        List<Runnable> atEnd = new ArrayList<>();
        ConnectionEnd.attach(userData, atEnd::add);
        Context context = new Context(request, userData, ENDPOINT_PREFIX + endpoint.tag());
        Uni<CheckResult> verdict = Uni.createFrom().item(CheckResult.permitUpgradeSync());
        for (HttpUpgradeCheck check : orderedChecks()) {
            if (check.appliesTo(context.endpointId())) {
                verdict = verdict.flatMap(so -> so.isUpgradePermitted() ? check.perform(context)
                        : Uni.createFrom().item(so));
            }
        }
        verdict.subscribe().with(result -> {
            if (!result.isUpgradePermitted() || request.response().closed()) {
                atEnd.forEach(Runnable::run);
                respond(request, result.isUpgradePermitted() ? 499 : result.getHttpResponseCode(),
                        result.getResponseHeaders(), "");
                return;
            }
            admit(request, endpoint, handler, userData, atEnd);
        }, failure -> {
            LOG.errorf(failure, "admission of an event stream failed");
            atEnd.forEach(Runnable::run);
            respond(request, 500, Map.of(), "");
        });
    }

    private void admit(HttpServerRequest request, Endpoint endpoint, SessionHandler handler, UserData userData,
            List<Runnable> atEnd) {
        allowCrossOrigin(request);
        SseStream stream = transport.openEventStream(request.response());
        String id = newId();
        SseLink link = new SseLink(id, stream, userData, request.params(), request.getHeader("Last-Event-ID"));
        Identity identity = UpgradeIdentity.of(link);
        String presented = TokenLocator.locate(request, config.auth().cookieName()).token();
        streams.put(id, new Stream(link, endpoint, new Grant(sha256(presented), identity.expiresAtMillis())));
        stream.onEnd(() -> {
            streams.remove(id);
            sessions.close(id);
            atEnd.forEach(Runnable::run);
        });
        stream.write(ServerFrames.session(id));
        handler.open(link);
    }

    /**
     * Takes the frames of a post to session {@code sessionId} of {@code endpoint} (see the class comment for the
     * answers). Reads the body as it comes, never more than the size limit.
     */
    public void post(HttpServerRequest request, String sessionId, Endpoint endpoint, SessionHandler handler) {
        int max = config.limits().maxMessageSize();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && isOver(length, max)) {
            tooLarge(request, max);
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] over = { false };
        Promise<Buffer> read = Promise.promise();
        request.handler(chunk -> {
            if (!over[0] && body.length() + chunk.length() > max) {
                over[0] = true;
            } else if (!over[0]) {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(ignored -> read.tryComplete(body));
        request.exceptionHandler(read::tryFail);
        Stream stream = sessionId == null ? null : streams.get(sessionId);
        if (stream == null || stream.endpoint != endpoint || !stream.link.isOpen()) {
            respond(request, 404, Map.of(), "no such event stream\n");
            return;
        }
        authorize(request, stream).subscribe().with(refusal -> {
            if (refusal != null) {
                respond(request, refusal.getHttpResponseCode(), refusal.getResponseHeaders(), "");
                return;
            }
            read.future().onComplete(done -> {
                if (done.failed()) {
                    return; // the client went away mid-body
                }
                if (over[0]) {
                    tooLarge(request, max);
                    return;
                }
                String text = utf8(done.result());
                if (text == null) {
                    respond(request, 400, Map.of(), "the body must be UTF-8\n");
                    return;
                }
                deliver(stream, frames(text), handler);
                allowCrossOrigin(request);
                respond(request, 202, Map.of(), "");
            });
        }, failure -> {
            LOG.errorf(failure, "authorization of a post to %s failed", sessionId);
            respond(request, 500, Map.of(), "");
        });
    }

    /** Answers the CORS preflight of a post from an allowed origin; others get 403. */
    public void preflight(HttpServerRequest request) {
        if (!allowCrossOrigin(request)) {
            respond(request, 403, Map.of(), "");
            return;
        }
        request.response().putHeader("Access-Control-Allow-Methods", "GET, POST")
                .putHeader("Access-Control-Allow-Headers", "authorization, content-type, last-event-id")
                .putHeader("Access-Control-Max-Age", "600");
        respond(request, 204, Map.of(), "");
    }

    /** @return {@code null} when the post may go on, else the refusal to answer with */
    private Uni<CheckResult> authorize(HttpServerRequest request, Stream stream) {
        Context context = new Context(request, new RequestUserData(), ENDPOINT_PREFIX + stream.endpoint.tag());
        return origin.perform(context).flatMap(originResult -> {
            if (!originResult.isUpgradePermitted()) {
                return Uni.createFrom().item(originResult);
            }
            String presented = TokenLocator.locate(request, config.auth().cookieName()).token();
            if (stream.grant.admits(presented)) {
                return Uni.createFrom().nullItem();
            }
            return token.perform(context).map(result -> {
                if (!result.isUpgradePermitted()) {
                    return result;
                }
                Identity identity = UpgradeIdentity.of(context.userData());
                ClientSession session = registry.get(stream.link.id());
                if (session == null || !identity.user().equals(session.user())) {
                    LOG.debugf("post to event stream %s refused: a token of another user", stream.link.id());
                    return CheckResult.rejectUpgradeSync(403);
                }
                stream.grant = new Grant(sha256(presented), identity.expiresAtMillis());
                return null;
            });
        });
    }

    /** Hands the frames to the session's handler on the stream's event loop, one at a time, in order. */
    private void deliver(Stream stream, List<String> frames, SessionHandler handler) {
        String id = stream.link.id();
        stream.link.stream().execute(() -> {
            for (String frame : frames) {
                ClientSession session = registry.get(id);
                if (session == null || !session.isOpen()) {
                    return;
                }
                handler.onText(session, frame);
            }
        });
    }

    /** One JSON frame, or each element of a JSON array; anything else is one frame, which its handler answers. */
    static List<String> frames(String body) {
        String trimmed = body.strip();
        if (trimmed.startsWith("[")) {
            try {
                JsonNode node = Json.MAPPER.readTree(trimmed);
                if (node != null && node.isArray()) {
                    List<String> frames = new ArrayList<>(node.size());
                    node.forEach(element -> frames.add(element.toString()));
                    return frames;
                }
            } catch (JsonProcessingException e) {
                // Not JSON: one frame, answered with invalid_json on the stream as on a WebSocket.
            }
        }
        return List.of(body);
    }

    /** Adds the CORS headers for an allowed {@code Origin}. @return whether the origin is allowed */
    private boolean allowCrossOrigin(HttpServerRequest request) {
        String from = request.getHeader(HttpHeaders.ORIGIN);
        if (from == null || !corsPolicy().allows(from)) {
            return false;
        }
        request.response().putHeader("Access-Control-Allow-Origin", from)
                .putHeader("Access-Control-Allow-Credentials", "true").putHeader(HttpHeaders.VARY, "Origin");
        return true;
    }

    private OriginPolicy corsPolicy() {
        OriginPolicy policy = cors;
        if (policy == null) {
            policy = new OriginPolicy(config.allowedOrigins().orElse(List.of()));
            cors = policy;
        }
        return policy;
    }

    /** Every upgrade check, highest priority first, as the WebSocket upgrade runs them. */
    private List<HttpUpgradeCheck> orderedChecks() {
        List<HttpUpgradeCheck> list = ordered;
        if (list == null) {
            list = checks.handlesStream()
                    .sorted(Comparator.comparingInt((InstanceHandle<HttpUpgradeCheck> h) -> h.getBean().getPriority())
                            .reversed())
                    .map(InstanceHandle::get).toList();
            ordered = list;
        }
        return list;
    }

    private String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean isOver(String contentLength, int max) {
        try {
            return Long.parseLong(contentLength.trim()) > max;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void tooLarge(HttpServerRequest request, int max) {
        request.response().putHeader(HttpHeaders.CONNECTION, "close");
        respond(request, 413, Map.of(), "a post carries at most " + max + " bytes (gateway.limits.max-message-size)\n");
    }

    private static String utf8(Buffer body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body.getBytes())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static void respond(HttpServerRequest request, int status, Map<String, List<String>> headers,
            String text) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        headers.forEach((name, values) -> response.putHeader(name, values));
        response.setStatusCode(status);
        if (!text.isEmpty()) {
            response.putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8");
        }
        response.end(text);
    }

    static byte[] sha256(String token) {
        if (token == null) {
            return new byte[0];
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
