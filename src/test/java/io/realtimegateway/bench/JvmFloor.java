package io.realtimegateway.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * The JVM floor of the fan-out benchmarks: a bare Netty server that speaks just enough of the gateway's wire protocol
 * for {@link LoadGen} (join, publish with its ack, message, ping/pong) and nothing else: no Quarkus, Vert.x,
 * websockets-next, token check, history, metrics or JSON tree. Each published message is encoded once, WebSocket header
 * included, into one direct buffer, and every other member of the room is written a duplicate of it and flushed at
 * once, from the publisher's
 * event loop (a task on the recipient's loop where that is another), the threading any Netty server has. What the
 * gateway costs beyond this is what its framework layers and features cost.
 * <p>
 * {@code java -cp ... io.realtimegateway.bench.JvmFloor PORT [EVENT_LOOPS]} (default: one per available processor,
 * as Vert.x sizes its pool at twice that).
 */
public final class JvmFloor {

    private static final Map<String, List<Channel>> ROOMS = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int loops = args.length > 1 ? Integer.parseInt(args[1]) : 2 * Runtime.getRuntime().availableProcessors();
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup(loops);
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder().websocketPath("/ws/chat")
                .checkStartsWith(true).maxFramePayloadLength(1 << 16).build();
        Channel server = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096).childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                                new HealthAnswer(), new WebSocketServerProtocolHandler(ws), new Protocol());
                    }
                }).bind(port).sync().channel();
        System.out.println("jvm-floor listening on " + port + " with " + loops + " event loops");
        server.closeFuture().sync();
    }

    /** {@code GET /health} for the benchmark's readiness wait; every other request goes on to the upgrade. */
    private static final class HealthAnswer extends SimpleChannelInboundHandler<FullHttpRequest> {
        HealthAnswer() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (request.uri().equals("/health")) {
                request.release();
                FullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII));
                ok.headers().set(HttpHeaderNames.CONTENT_LENGTH, 2).set(HttpHeaderNames.CONNECTION, "close");
                ctx.writeAndFlush(ok).addListener(f -> ctx.close());
                return;
            }
            ctx.fireChannelRead(request);
        }
    }

    /** The frames of one connection: string scanning, no JSON parser, as the protocol's fixed shapes allow. */
    private static final class Protocol extends SimpleChannelInboundHandler<TextWebSocketFrame> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            String text = frame.text();
            String ref = field(text, "ref");
            if (text.startsWith("{\"type\":\"join\"")) {
                String room = field(text, "room");
                ROOMS.computeIfAbsent(room, r -> new CopyOnWriteArrayList<>()).add(ctx.channel());
                ctx.channel().closeFuture().addListener(f -> ROOMS.get(room).remove(ctx.channel()));
                ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"ack\",\"ref\":\"" + ref + "\",\"room\":\""
                        + room + "\"}"));
            } else if (text.startsWith("{\"type\":\"publish\"")) {
                String room = field(text, "room");
                long id = IDS.incrementAndGet();
                ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"ack\",\"ref\":\"" + ref + "\",\"id\":\"f:" + id
                        + "\"}"));
                int data = text.indexOf("\"data\":");
                String message = "{\"type\":\"message\",\"room\":\"" + room + "\",\"id\":\"f:" + id
                        + "\",\"from\":\"load\"," + text.substring(data, text.length() - 1) + ",\"ts\":"
                        + System.currentTimeMillis() + "}";
                broadcast(ROOMS.getOrDefault(room, List.of()), ctx.channel(), message);
            } else if (text.startsWith("{\"type\":\"ping\"")) {
                ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"pong\",\"ref\":\"" + ref + "\"}"));
            }
        }

        /**
         * Encodes the frame once, header included, into one direct buffer; each recipient is written a duplicate of
         * it (the frame encoder lets raw bytes through), flushed at once.
         */
        private static void broadcast(List<Channel> members, Channel publisher, String message) {
            byte[] text = message.getBytes(StandardCharsets.UTF_8);
            ByteBuf frame = ByteBufAllocator.DEFAULT.directBuffer(text.length + 10).writeByte(0x81);
            if (text.length < 126) {
                frame.writeByte(text.length);
            } else if (text.length < 65536) {
                frame.writeByte(126).writeShort(text.length);
            } else {
                frame.writeByte(127).writeLong(text.length);
            }
            frame.writeBytes(text);
            try {
                for (Channel member : members) {
                    if (member != publisher && member.isActive()) {
                        member.writeAndFlush(frame.retainedDuplicate());
                    }
                }
            } finally {
                frame.release();
            }
        }

        /** The string value of {@code "name":"..."}, or the empty string. */
        private static String field(String text, String name) {
            String key = "\"" + name + "\":\"";
            int at = text.indexOf(key);
            if (at < 0) {
                return "";
            }
            int from = at + key.length();
            return text.substring(from, text.indexOf('"', from));
        }
    }

    private JvmFloor() {
    }
}
