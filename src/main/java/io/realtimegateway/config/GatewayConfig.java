package io.realtimegateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Every setting of the gateway, under the {@code gateway.} prefix. Each key can also be given as an environment
 * variable in the usual MicroProfile form ({@code gateway.limits.max-message-size} becomes
 * {@code GATEWAY_LIMITS_MAX_MESSAGE_SIZE}). README.md lists the same keys.
 */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /**
     * Which backend carries messages between publishers and subscribers and keeps history and presence:
     * {@code memory} (one instance, the default: nothing to install) or {@code redis} (many instances). Any other
     * value stops the start-up with a message naming the accepted values.
     */
    @WithDefault("memory")
    BrokerKind broker();

    /**
     * Closes every connection after this age (plus up to 10% random jitter) with 1012, so clients reconnect in an
     * orderly way before a platform's request timeout cuts them (Cloud Run: at most 60 minutes). Off when unset.
     */
    Optional<Duration> maxConnectionAge();

    /**
     * The browser origins allowed to open WebSockets: exact origins, {@code https://*.example.com} for any subdomain,
     * {@code http://localhost:*} for any port. Empty (the production default) allows none; an upgrade without
     * {@code Origin} is allowed only with an {@code Authorization} header.
     */
    Optional<List<String>> allowedOrigins();

    /**
     * Proxies whose {@code X-Forwarded-For} is believed (IP addresses or CIDR ranges, e.g. {@code 10.0.0.0/8}); the
     * socket's address is used for everyone else.
     */
    Optional<List<String>> trustedProxies();

    /** WebSocket upgrades per client address. */
    UpgradeRate upgradeRate();

    /** The Redis broker ({@code gateway.broker=redis}); the server address is {@code quarkus.redis.hosts}. */
    RedisSettings redis();

    /** Where tokens come from. */
    Auth auth();

    /** Size and count limits of one connection. */
    Limits limits();

    /** The outbound path: what the server queues for a client that reads slowly. */
    Outbound outbound();

    /** Inbound message rate per connection. */
    Inbound inbound();

    /** The connection's token and its refresh in band. */
    Token token();

    /** Dead-peer detection. */
    Heartbeat heartbeat();

    /** What happens when the instance is told to stop: the budget of the whole drain. */
    Shutdown shutdown();

    /** How a stopping instance spreads its closes, so that its clients do not all reconnect elsewhere at once. */
    Drain drain();

    /** The recent messages kept per room and per user for clients that reconnect with {@code since}. */
    History history();

    /** Who is in a room, across instances. */
    Presence presence();

    /** The echo endpoint, for RFC 6455 conformance runs (docs/conformance.md). */
    Echo echo();

    interface Echo {

        /**
         * Whether {@code /ws/echo} is served: every text and binary message comes back unchanged, in order, after the
         * same upgrade checks, limits and frame handling as {@code /ws/chat}. Off (the default), its upgrade is refused
         * with 404 like an unknown path.
         */
        @WithDefault("false")
        boolean enabled();
    }

    interface UpgradeRate {

        /** Upgrades per second one client address may make, on average. */
        @WithDefault("10")
        double rate();

        /** Upgrades one client address may make at once (a page opening several sockets, a reconnect wave). */
        @WithDefault("20")
        int burst();
    }

    interface RedisSettings {

        /**
         * The prefix of every Redis key and pub/sub channel the gateway uses, so several deployments can share one
         * Redis; without braces, which would break the per-room hash tags.
         */
        @WithDefault("gateway:")
        String channelPrefix();

        /**
         * The deadline of every Redis command. A command that misses it fails as when Redis is down: a publish is
         * still delivered to this instance's members (with this instance's own ids) and its publisher told
         * {@code unavailable}; readiness is DOWN until Redis answers again. A hung Redis costs local delivery at most
         * this long.
         */
        @WithDefault("1s")
        Duration commandTimeout();

        /**
         * How long the subscriber connection may receive nothing before the instance publishes a probe on a channel of
         * its own and expects it back within the command timeout; a miss means the connection looks open but delivers
         * nothing (a failover can leave it so): it is reconnected and resubscribed, and readiness is DOWN until a
         * probe comes back.
         */
        @WithDefault("10s")
        Duration probeInterval();

        /**
         * Which pub/sub carries rooms, presence and user streams: {@code auto} uses sharded pub/sub
         * ({@code SSUBSCRIBE}/{@code SPUBLISH}) on a Redis 7.0 or newer and classic pub/sub on an older one;
         * {@code classic} always uses classic pub/sub (on a cluster every message then goes to every node). The
         * channel of broadcasts to everyone is classic in both. The choice in use is logged at start.
         */
        @WithDefault("auto")
        PubSubKind pubSub();
    }

    interface Auth {

        /** The cookie that may carry the token of a WebSocket upgrade (after the query parameter). */
        @WithDefault("access_token")
        String cookieName();
    }

    interface Limits {

        /**
         * The largest inbound WebSocket message, in bytes, after reassembly of fragments. A larger frame or message
         * closes the connection with code 1009 (message too big).
         */
        @WithDefault("65536")
        int maxMessageSize();

        /**
         * How many rooms one chat connection may be a member of at once. One more join is answered with the error
         * {@code too_many_rooms}; the connection stays open.
         */
        @WithDefault("100")
        int maxRoomsPerConnection();

        /** Open connections one user may have on one instance (tabs, devices); one more is refused with 429. */
        @WithDefault("10")
        int maxConnectionsPerUser();
    }

    interface Token {

        /**
         * How long before the token's {@code exp} the server sends {@code token_expiring} (at once, for a connection
         * that opens later than that), so the client can send a {@code refresh} instead of reconnecting at 4001.
         */
        @WithDefault("30s")
        Duration refreshAhead();
    }

    interface Inbound {

        /** Messages per second one connection may send, on average. */
        @WithDefault("20")
        double rate();

        /** Messages one connection may send at once after a quiet period. */
        @WithDefault("40")
        int burst();

        /** Refused frames in a row after which the connection is closed with 1008. */
        @WithDefault("20")
        int maxViolations();
    }

    interface Heartbeat {

        /**
         * How often every connection is pinged; a connection that sent nothing (no pong, no message) during one
         * interval
         * is terminated, so a dead peer is gone within two intervals.
         */
        @WithDefault("30s")
        Duration interval();
    }

    interface Shutdown {

        /**
         * The budget of the whole drain, from SIGTERM: the {@code gateway.drain.delay}, the closes spread over
         * {@code gateway.drain.spread}, then the wait for the last closes to complete; connections still open at its
         * end
         * are cut (TCP), with up to one more second for them to go, and the process exits. Keep it below the platform's
         * termination grace period (Cloud Run: 10 s) by a second or more. It must leave at least one second after the
         * delay and the spread, or the start fails naming the three keys.
         */
        @WithDefault("8s")
        Duration drainTimeout();
    }

    interface Drain {

        /**
         * How long a stopping instance keeps its connections open after SIGTERM, with readiness already DOWN and new
         * upgrades refused with 503, before it starts closing them: a few seconds behind load balancers that take that
         * long to stop sending it clients, so that the reconnects go to other instances. Counts toward
         * {@code gateway.shutdown.drain-timeout}.
         */
        @WithDefault("0s")
        Duration delay();

        /**
         * The time over which the connections are closed, after the delay: in batches spread evenly from its start to
         * its end (about one every 100 ms), each connection with close {@code 1001} and a reconnect hint
         * {@code {"retryAfterMs":n}}, {@code n} drawn uniformly from 0 to the spread (at least 1 s), so the reconnects
         * are spread over about twice the spread. {@code 0s} closes every connection at once. Counts toward
         * {@code gateway.shutdown.drain-timeout}.
         */
        @WithDefault("5s")
        Duration spread();
    }

    interface Presence {

        /**
         * How often each instance tells Redis it is alive (with the {@code redis} broker), and removes from presence
         * the members of instances that stopped doing so.
         */
        @WithDefault("5s")
        Duration refreshInterval();

        /**
         * How long after its last refresh an instance counts as gone: its members vanish from presence queries then,
         * and {@code presence_diff} events announce them as left within one more refresh interval. Must exceed the
         * refresh interval.
         */
        @WithDefault("15s")
        Duration instanceTimeout();
    }

    interface History {

        /** How many recent messages each room (and each user's notifications) keeps; 0 keeps none. */
        @WithDefault("100")
        int maxMessages();

        /** How long a message stays in the history. */
        @WithDefault("5m")
        Duration maxAge();

        /**
         * The most messages one replay sends: a join with {@code since} that missed more is answered
         * {@code recovered: false} and gets none of them (the client reloads instead, so a storm of rejoins after a
         * deploy does not also send every client a long replay first); a {@code rewind} gets at most this many, the
         * newest. Matters only when {@code max-messages} is larger.
         */
        @WithDefault("1000")
        int maxReplay();

        /**
         * The most bytes of messages the in-memory history holds across all rooms and users; beyond it the oldest
         * go first (recovery from before them answers {@code recovered: false}). Not used with Redis, whose streams
         * are bounded by count and age.
         */
        @WithDefault("67108864")
        long maxBytes();

        /**
         * (With {@code redis}) how often each instance compares, for every room and user stream with local members,
         * the newest offset it delivered with the newest in the history (one read per topic), and fills a gap from
         * the history; when the history no longer holds the missing messages, the members get {@code resync}. Also
         * checked at once whenever the subscriber connection was re-established.
         */
        @WithDefault("10s")
        Duration positionCheck();
    }

    interface Outbound {

        /**
         * The most bytes that may wait in the server for one connection whose socket takes no more (the kernel's send
         * buffer is full and Netty's write buffer is over its high-water mark). Bytes on their way through the event
         * loop to a socket that accepts them do not count, so a reader that keeps reading is never cut by a burst. A
         * connection found over this bound at two checks in a row (checks run every 100 ms while its socket takes no
         * more) is closed with 1013 (try again later), so that one slow reader cannot grow the server's memory or
         * delay other clients.
         */
        @WithDefault("1048576")
        long maxQueuedBytes();

        /**
         * How long a connection's socket may take no more without catching up (its write buffer does not drain below
         * Netty's low-water mark) before the connection is closed with 1013, however few bytes wait: a reader that
         * stopped, or one that reads slower than its rooms' traffic.
         */
        @WithDefault("10s")
        Duration maxStall();

        /**
         * How long a peer has, after the server sent its close frame (1013, 1008, 1009, 1001 on drain, 4001, ...), to
         * complete the close; then the TCP connection is cut, its queued bytes freed.
         */
        @WithDefault("5s")
        Duration closeTimeout();
    }
}
