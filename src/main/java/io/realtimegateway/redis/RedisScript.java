package io.realtimegateway.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * A Lua script run atomically by Redis, read from {@code src/main/resources/redis/*.lua} and sent by its SHA-1
 * ({@code EVALSHA}). A {@link RedisLink} loads it on every new connection before that connection carries any command.
 * Should the server still not know it ({@code NOSCRIPT}: an operator ran {@code SCRIPT FLUSH}), the command fails and
 * the link reconnects, loading every script again; the script is never sent again in full behind commands sent
 * meanwhile, which would reorder them. On a Redis Cluster every run sends the script in full instead. Immutable and
 * thread-safe.
 */
public final class RedisScript {

    private final String name;
    private final String source;
    private final String sha;

    private RedisScript(String name, String source) {
        this.name = name;
        this.source = source;
        try {
            this.sha = HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is a required JDK algorithm", e);
        }
    }

    /**
     * Reads a script from the class path: the files {@code redis/<part>.lua}, joined in order (a script that shares
     * functions with others names the file that holds them first).
     */
    public static RedisScript load(String... parts) {
        StringBuilder source = new StringBuilder();
        for (String part : parts) {
            String path = "redis/" + part + ".lua";
            try (InputStream in = RedisScript.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("missing Redis script " + path);
                }
                source.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read Redis script " + path, e);
            }
        }
        return new RedisScript(String.join("+", parts), source.toString());
    }

    String source() {
        return source;
    }

    /**
     * Runs the script on {@code link} with the given keys (every key it touches, all in one hash slot) and arguments:
     * by its SHA-1 ({@code EVALSHA}) on a standalone Redis, in full ({@code EVAL}) on a Redis Cluster, where the node
     * that runs it changes with failovers and resharding (Redis compiles a script once and keeps it by its SHA-1, so
     * this costs the bytes of the source, not its compilation).
     */
    public Uni<Response> run(RedisLink link, List<String> keys, List<String> args) {
        return run(link, keys, args, null);
    }

    /**
     * Runs the script as {@link #run(RedisLink, List, List)} does, with {@code bytes} as one more argument, sent
     * unchanged (Lua strings are binary-safe); none when {@code null}.
     */
    public Uni<Response> run(RedisLink link, List<String> keys, List<String> args, byte[] bytes) {
        return run(link, keys, args, bytes, null);
    }

    /**
     * Runs the script as {@link #run(RedisLink, List, List, byte[])} does; a reply that comes after the run already
     * failed for want of it goes to {@code lateReply} ({@link RedisLink#send(Request, java.util.function.Consumer)}).
     */
    public Uni<Response> run(RedisLink link, List<String> keys, List<String> args, byte[] bytes,
            Consumer<Response> lateReply) {
        RedisServer server = link.server();
        boolean whole = server != null && server.cluster();
        Request request = whole ? Request.cmd(Command.EVAL).arg(source) : Request.cmd(Command.EVALSHA).arg(sha);
        request.arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        if (bytes != null) {
            request.arg(bytes);
        }
        return link.send(request, lateReply).onFailure(RedisScript::unknownScript).invoke(link::scriptMissing);
    }

    @Override
    public String toString() {
        return "RedisScript[" + name + "]";
    }

    private static boolean unknownScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT");
    }
}
