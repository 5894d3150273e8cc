package io.realtimegateway.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

/**
 * A real local Redis Cluster for tests: six {@code redis-server} processes (Redis 7 or newer) on free ports, three
 * masters with one replica each ({@code redis-cli --cluster create ... --cluster-replicas 1}), with
 * {@code cluster-node-timeout 2000}. One cluster serves every test class of a run ({@link #shared()}); it is torn
 * down when the test JVM exits. A test that needs it is skipped, with the reason, where no such binary exists
 * ({@link RequiresRedisCluster}); never passed.
 * <p>
 * The binaries: {@code GATEWAY_TEST_REDIS_SERVER} (and {@code redis-cli} beside it), else {@code /usr/bin/redis-server}
 * and {@code /usr/bin/redis-cli} (Debian's {@code redis-server} package, which {@code .ci/run} installs). Destructive
 * tests (failover, resharding) may kill or restart nodes of their own cluster: {@link #start()} makes a fresh one.
 */
public final class RedisCluster implements AutoCloseable {

    /** Node timeout of the test cluster: a dead master is replaced about this long (plus an election) later. */
    public static final int NODE_TIMEOUT_MS = 2000;

    private static final String SHARED = "redis-cluster-for-tests";
    private static final Pattern VERSION = Pattern.compile("v=(\\d+)\\.(\\d+)");
    private static RedisCluster shared;

    private final Path dir;
    private final List<Node> nodes = new ArrayList<>();

    /** One node: its port, and its process when this JVM started it. */
    public static final class Node {
        private final int port;
        private Process process;

        Node(int port) {
            this.port = port;
        }

        public int port() {
            return port;
        }
    }

    private RedisCluster(Path dir) {
        this.dir = dir;
    }

    /**
     * Why no cluster can be made here ({@code redis-server} missing or older than 7.0, or no {@code redis-cli}), or
     * {@code null} when one can.
     */
    public static String unavailable() {
        Path server = server();
        if (!Files.isExecutable(server)) {
            return "no Redis >= 7 binary: " + server + " not found (set GATEWAY_TEST_REDIS_SERVER or install "
                    + "Debian's redis-server)";
        }
        if (!Files.isExecutable(cli())) {
            return "no redis-cli beside " + server;
        }
        try {
            Process version = new ProcessBuilder(server.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            version.waitFor(10, TimeUnit.SECONDS);
            Matcher m = VERSION.matcher(out);
            if (!m.find() || Integer.parseInt(m.group(1)) < 7) {
                return "no Redis >= 7 binary: " + server + " is " + out.trim();
            }
            return null;
        } catch (IOException e) {
            return "cannot run " + server + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * The cluster shared by every test class of this JVM, started at the first call. Test classes and Quarkus test
     * resources may be loaded by different class loaders; they find the one cluster through a system property
     * ({@value #SHARED}: its directory and ports), and only its maker tears it down, when the JVM exits.
     */
    public static RedisCluster shared() {
        synchronized (System.class) {
            if (shared != null) {
                return shared;
            }
            String known = System.getProperty(SHARED);
            if (known != null) {
                String[] parts = known.split("\\|");
                shared = new RedisCluster(Path.of(parts[0]));
                for (String port : parts[1].split(",")) {
                    shared.nodes.add(new Node(Integer.parseInt(port)));
                }
                return shared;
            }
            shared = start();
            RedisCluster made = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(made::close));
            System.setProperty(SHARED, made.dir + "|"
                    + String.join(",", made.nodes.stream().map(n -> Integer.toString(n.port())).toList()));
            return shared;
        }
    }

    /** A fresh cluster of its own (for tests that kill or move things); the caller closes it. */
    public static RedisCluster start() {
        String why = unavailable();
        if (why != null) {
            throw new IllegalStateException(why);
        }
        RedisCluster cluster;
        try {
            cluster = new RedisCluster(Files.createTempDirectory("redis-cluster"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot make a directory for a Redis Cluster", e);
        }
        try {
            for (int i = 0; i < 6; i++) {
                Node node = new Node(clusterPort());
                cluster.nodes.add(node);
                cluster.launch(node);
            }
            cluster.create();
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw new IllegalStateException("cannot start a Redis Cluster", e);
        }
    }

    /** A free port whose cluster bus port (10000 higher) is free too; Redis refuses ports above 55535. */
    private static int clusterPort() {
        while (true) {
            int port = PackagedApp.freePort();
            if (port <= 55535) {
                try (ServerSocket bus = new ServerSocket(port + 10000)) {
                    return port;
                } catch (IOException e) {
                    // taken: try another
                }
            }
        }
    }

    /** The nodes, masters and replicas, in the order they were created. */
    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** {@code quarkus.redis.hosts} for this cluster: every node. */
    public String hosts() {
        return String.join(",", nodes.stream().map(n -> "redis://127.0.0.1:" + n.port()).toList());
    }

    /** The configuration of a gateway instance on this cluster. */
    public Map<String, String> gatewayConfig() {
        return Map.of("gateway.broker", "redis", "quarkus.redis.client-type", "cluster", "quarkus.redis.hosts",
                hosts());
    }

    /** Runs {@code redis-cli -p port args...} and returns its output. */
    public String cli(int port, String... args) {
        List<String> command = new ArrayList<>(List.of(cli().toString(), "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        return run(command, Duration.ofSeconds(60));
    }

    /** The port of the master that owns {@code slot}, as the first live node sees it. */
    public int masterOf(int slot) {
        // CLUSTER NODES, line based: id addr@bus flags master ping pong epoch state slot-ranges...
        String table = cli(anyLive().port(), "CLUSTER", "NODES");
        for (String line : table.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                String[] range = f[i].split("-");
                if (range[0].startsWith("[")) {
                    continue;
                }
                int from = Integer.parseInt(range[0]);
                int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                if (slot >= from && slot <= to) {
                    return Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
                }
            }
        }
        throw new IllegalStateException("no master owns slot " + slot + ": " + table);
    }

    /** The port of a live replica of the master on {@code masterPort}. */
    public int replicaOf(int masterPort) {
        String table = cli(anyLive().port(), "CLUSTER", "NODES");
        String masterId = null;
        for (String line : table.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length > 2 && f[1].startsWith("127.0.0.1:" + masterPort + "@")) {
                masterId = f[0];
            }
        }
        for (String line : table.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length > 3 && f[2].contains("slave") && !f[2].contains("fail") && f[3].equals(masterId)) {
                return Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
            }
        }
        throw new IllegalStateException("no replica of " + masterPort + ": " + table);
    }

    /**
     * Moves one slot from its master to the master on {@code toPort} as {@code redis-cli --cluster reshard} does:
     * {@code CLUSTER SETSLOT IMPORTING/MIGRATING}, {@code MIGRATE} of its keys in batches, then
     * {@code CLUSTER SETSLOT NODE} on both and on every other master.
     */
    public void moveSlot(int slot, int toPort) {
        int from = masterOf(slot);
        String fromId = cli(from, "CLUSTER", "MYID").trim();
        String toId = cli(toPort, "CLUSTER", "MYID").trim();
        cli(toPort, "CLUSTER", "SETSLOT", Integer.toString(slot), "IMPORTING", fromId);
        cli(from, "CLUSTER", "SETSLOT", Integer.toString(slot), "MIGRATING", toId);
        while (true) {
            String[] keys = cli(from, "CLUSTER", "GETKEYSINSLOT", Integer.toString(slot), "100").trim().split("\n");
            if (keys.length == 0 || keys[0].isBlank()) {
                break;
            }
            List<String> migrate = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", Integer.toString(toPort), "", "0",
                    "5000", "REPLACE", "KEYS"));
            migrate.addAll(List.of(keys));
            String out = cli(from, migrate.toArray(String[]::new));
            if (!out.contains("OK") && !out.contains("NOKEY")) {
                throw new IllegalStateException("MIGRATE failed: " + out);
            }
        }
        cli(toPort, "CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", toId);
        cli(from, "CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", toId);
        for (int master : masters()) {
            if (master != from && master != toPort) {
                cli(master, "CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", toId);
            }
        }
    }

    /** The ports of the live masters. */
    public List<Integer> masters() {
        List<Integer> masters = new ArrayList<>();
        for (String line : cli(anyLive().port(), "CLUSTER", "NODES").split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length > 2 && f[2].contains("master") && !f[2].contains("fail")) {
                masters.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@'))));
            }
        }
        return masters;
    }

    /** Kills a node with SIGKILL, as a lost machine would go. */
    public void kill(int port) {
        kill(processOf(port));
    }

    /** The process of a node (from its {@code INFO server}). */
    public ProcessHandle processOf(int port) {
        String info = cli(port, "INFO", "server");
        Matcher pid = Pattern.compile("process_id:(\\d+)").matcher(info);
        if (!pid.find()) {
            throw new IllegalStateException("no process_id from node " + port + ": " + info);
        }
        return ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow();
    }

    /** Kills a node's process with SIGKILL and waits until it is gone. */
    public void kill(ProcessHandle process) {
        process.destroyForcibly();
        process.onExit().orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Starts a killed node again from its directory: it rejoins the cluster (as a replica, if it was replaced). */
    public void restart(int port) {
        Node node = node(port);
        try {
            launch(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot restart node " + port, e);
        }
    }

    /** Whether a node answers. */
    public boolean alive(int port) {
        try {
            return cli(port, "PING").trim().equals("PONG");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Waits until every live node reports {@code cluster_state:ok} and agrees on the masters' slots. */
    public void awaitHealthy(Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            for (Node node : nodes) {
                if (alive(node.port()) && !cli(node.port(), "CLUSTER", "INFO").contains("cluster_state:ok")) {
                    return false;
                }
            }
            return true;
        });
    }

    @Override
    public void close() {
        for (Node node : nodes) {
            if (node.process != null) {
                node.process.destroyForcibly();
            }
        }
        for (Node node : nodes) {
            if (alive(node.port())) {
                try {
                    kill(node.port()); // restarted by a test class loaded elsewhere
                } catch (RuntimeException e) {
                    // gone meanwhile
                }
            }
        }
        for (Node node : nodes) {
            if (node.process != null) {
                try {
                    node.process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: nothing more to do
        }
    }

    private Node anyLive() {
        return nodes.stream().filter(n -> alive(n.port())).findFirst().orElseThrow();
    }

    private Node node(int port) {
        return nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
    }

    private void launch(Node node) throws IOException {
        Path home = Files.createDirectories(dir.resolve(Integer.toString(node.port())));
        node.process = new ProcessBuilder(server().toString(), "--port", Integer.toString(node.port()), "--bind",
                "127.0.0.1", "--cluster-enabled", "yes", "--cluster-node-timeout", Integer.toString(NODE_TIMEOUT_MS),
                "--cluster-config-file", "nodes.conf", "--dir", home.toString(), "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--logfile", "redis.log").directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolve("stdout").toFile()).start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .until(() -> cli(node.port(), "PING").trim().equals("PONG"));
    }

    private void create() {
        List<String> command = new ArrayList<>(List.of(cli().toString(), "--cluster", "create"));
        nodes.forEach(n -> command.add("127.0.0.1:" + n.port()));
        command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        String out = run(command, Duration.ofSeconds(60));
        if (!out.contains("All 16384 slots covered")) {
            throw new IllegalStateException("redis-cli --cluster create failed: " + out);
        }
        awaitHealthy(Duration.ofSeconds(30));
        // Every replica attached and in sync, so a failover has a replica to promote.
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            long synced = nodes.stream().filter(n -> cli(n.port(), "INFO", "replication")
                    .contains("master_link_status:up")).count();
            return synced == 3;
        });
    }

    private static String run(List<String> command, Duration timeout) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }

    private static Path server() {
        String named = System.getenv("GATEWAY_TEST_REDIS_SERVER");
        return Path.of(named != null && !named.isBlank() ? named : "/usr/bin/redis-server");
    }

    private static Path cli() {
        return server().resolveSibling("redis-cli");
    }
}
