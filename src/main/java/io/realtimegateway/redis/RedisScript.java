package io.realtimegateway.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * A Lua script run atomically by Redis: sent by its SHA-1 ({@code EVALSHA}); a {@link RedisLink} loads it on every
 * new connection, and should the server still not know it (an operator ran {@code SCRIPT FLUSH}), it is sent in full
 * ({@code EVAL}). Immutable and thread-safe.
 */
public final class RedisScript {

    private final String source;
    private final String sha;

    public RedisScript(String source) {
        this.source = source;
        try {
            this.sha = HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is a required JDK algorithm", e);
        }
    }

    String source() {
        return source;
    }

    /** Runs the script on {@code link} with the given keys and arguments. */
    public Uni<Response> run(RedisLink link, List<String> keys, List<String> args) {
        return link.send(request(Command.EVALSHA, sha, keys, args)).onFailure(RedisScript::unknownScript)
                .recoverWithUni(() -> link.send(request(Command.EVAL, source, keys, args)));
    }

    private static boolean unknownScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT");
    }

    private static Request request(Command command, String script, List<String> keys, List<String> args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }
}
