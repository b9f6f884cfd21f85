package com.github.kgraph.kg.neo4jharness;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.neo4j.cli.AdminTool;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.io.ByteUnit;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;

/**
 * Runs a real, in-process Neo4j community server for the Go tests (internal/neo4jtest).
 *
 * <p>Protocol: the only things written to stdout are one line {@code READY bolt://127.0.0.1:PORT}
 * once Bolt accepts connections (user {@code neo4j}, the given password), or one line
 * {@code FAILED message} if start-up fails. Everything else (logs, stack traces) goes to stderr.
 * The server runs until stdin reaches end-of-file or the JVM gets SIGTERM/SIGINT; it then shuts down
 * and deletes its data directory.
 *
 * <p>Options (all optional except the password):
 *
 * <pre>
 *   --password=SECRET   password of user neo4j; default: $KG_NEO4J_PASSWORD (at least 8 characters)
 *   --host=127.0.0.1    Bolt listen address (keep it on loopback)
 *   --port=0            Bolt port; 0 picks a free one
 *   --pagecache=256m    page cache size
 *   --dir=PATH          empty directory for the data, deleted at shutdown; default: a new temp dir
 *   -- ARGS...          first run {@code neo4j-admin database import full ARGS} (in this JVM, into a
 *                       fresh home under the data dir), then serve the database it imported
 * </pre>
 *
 * With {@code --} the server starts on what the real import tool wrote, so tests can check that
 * kg's CSV export imports as intended; the database imported must be {@code neo4j}, the one the
 * server serves. The tool's output goes to stderr.
 *
 * HTTP/HTTPS are disabled, anonymous usage reporting is off, and no network traffic leaves the
 * listen address.
 */
public final class Launcher {
    private static final String USER = "neo4j";

    private Launcher() {}

    public static void main(String[] args) {
        // Keep stdout for the protocol line only; whatever else writes to System.out goes to stderr.
        PrintStream protocol = System.out;
        System.setOut(System.err);

        String password = System.getenv("KG_NEO4J_PASSWORD");
        String host = "127.0.0.1";
        int port = 0;
        String pagecache = "256m";
        String dir = null;
        List<String> importArgs = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                importArgs = Arrays.asList(args).subList(i + 1, args.length);
                break;
            } else if (arg.startsWith("--password=")) {
                password = arg.substring("--password=".length());
            } else if (arg.startsWith("--host=")) {
                host = arg.substring("--host=".length());
            } else if (arg.startsWith("--port=")) {
                port = Integer.parseInt(arg.substring("--port=".length()));
            } else if (arg.startsWith("--dir=")) {
                dir = arg.substring("--dir=".length());
            } else if (arg.startsWith("--pagecache=")) {
                pagecache = arg.substring("--pagecache=".length());
            } else {
                fail(protocol, "unknown argument " + arg, null);
            }
        }
        if (password == null || password.length() < 8) {
            fail(protocol, "need a password of at least 8 characters (--password= or KG_NEO4J_PASSWORD)", null);
        }

        Path workDir;
        try {
            if (dir == null) {
                workDir = Files.createTempDirectory("kg-neo4j-harness-");
            } else {
                workDir = Path.of(dir);
                try (var entries = Files.list(workDir)) {
                    if (entries.findAny().isPresent()) {
                        // It is deleted at shutdown, so never take a directory that holds anything.
                        fail(protocol, "--dir=" + dir + " is not empty", null);
                    }
                }
            }
        } catch (IOException e) {
            fail(protocol, "cannot use a data dir: " + e, e);
            return;
        }

        Server server = new Server(workDir);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "kg-neo4j-harness-shutdown"));
        Path imported = null;
        if (importArgs != null) {
            // The tool's own home, apart from the server's (which the harness names itself): it
            // writes HOME/data/databases/neo4j and HOME/data/transactions/neo4j, the layout a server
            // on HOME expects, so the server can start on a copy of HOME.
            imported = workDir.resolve("imported");
            int code;
            try (var fs = new DefaultFileSystemAbstraction()) {
                Files.createDirectories(imported);
                List<String> cli = new ArrayList<>(List.of("database", "import", "full"));
                cli.addAll(importArgs);
                // What neo4j-admin's main does, minus its System.exit.
                code = AdminTool.execute(
                        new ExecutionContext(imported, imported.resolve("conf"), System.err, System.err, fs),
                        cli.toArray(String[]::new));
            } catch (Throwable e) {
                server.stop();
                fail(protocol, "neo4j-admin database import full: " + e, e);
                return;
            }
            if (code != 0) {
                server.stop();
                fail(protocol, "neo4j-admin database import full exited with " + code + ", see its output on stderr", null);
            }
        }
        try {
            server.start(host, port, ByteUnit.parse(pagecache), password, imported);
        } catch (Throwable e) {
            server.stop();
            fail(protocol, String.valueOf(e), e);
        }

        protocol.println("READY " + server.boltURI());
        protocol.flush();

        // Run until whoever started us closes our stdin (or goes away, which does the same).
        try {
            InputStream in = System.in;
            byte[] buf = new byte[256];
            while (in.read(buf) >= 0) {
                // ignore input
            }
        } catch (IOException ignored) {
            // treat like end-of-file
        }
        server.stop();
        System.exit(0);
    }

    private static void fail(PrintStream protocol, String message, Throwable e) {
        if (e != null) {
            e.printStackTrace();
        }
        protocol.println("FAILED " + message.replace('\n', ' '));
        protocol.flush();
        System.exit(1);
    }

    private static final class Server {
        private final Path workDir;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private volatile Neo4j neo4j;

        Server(Path workDir) {
            this.workDir = workDir;
        }

        void start(String host, int port, long pagecacheBytes, String password, Path imported) {
            Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder(workDir);
            if (imported != null) {
                builder.copyFrom(imported); // into the server's home, which is a new directory under workDir
            }
            neo4j = builder
                    .withDisabledServer() // no HTTP/HTTPS
                    .withConfig(BoltConnector.enabled, true)
                    .withConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                    .withConfig(GraphDatabaseSettings.auth_enabled, true)
                    .withConfig(GraphDatabaseSettings.pagecache_memory, pagecacheBytes)
                    // Never phone home.
                    .withConfig(GraphDatabaseSettings.udc_enabled, false)
                    .withConfig(GraphDatabaseInternalSettings.udc_network_enabled, false)
                    // A throw-away server need not wait 2 x 5 s for Bolt clients at shutdown.
                    .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    .withConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                    .withConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                    .build();

            // With auth enabled the DBMS creates user neo4j with password "neo4j" that must be changed
            // before use. Embedded transactions bypass authentication, so set the real password here,
            // before anyone can connect over Bolt with the default one.
            neo4j.databaseManagementService()
                    .database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
                    .executeTransactionally(
                            "ALTER USER " + USER + " SET PASSWORD $password CHANGE NOT REQUIRED",
                            Map.of("password", password));
        }

        String boltURI() {
            URI uri = neo4j.boltURI();
            return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
        }

        void stop() {
            if (!stopped.compareAndSet(false, true)) {
                return;
            }
            Neo4j n = neo4j;
            if (n != null) {
                try {
                    n.close();
                } catch (Throwable e) {
                    e.printStackTrace();
                }
            }
            try {
                deleteRecursively(workDir);
            } catch (IOException e) {
                e.printStackTrace();
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
