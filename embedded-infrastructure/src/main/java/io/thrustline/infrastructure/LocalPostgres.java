package io.thrustline.infrastructure;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * A real PostgreSQL server (embedded binaries) whose data directory survives restarts. Holds two databases:
 * {@code thrustline} for the reporting service and {@code registry} for the schema registry's storage.
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String USER = "thrustline";
    public static final String PASSWORD = "thrustline";
    /** The superuser initdb creates; local connections need no password (trust). */
    private static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres postgres;
    private final PostmasterWatchdog watchdog;

    private LocalPostgres(EmbeddedPostgres postgres, PostmasterWatchdog watchdog) {
        this.postgres = postgres;
        this.watchdog = watchdog;
    }

    public static Path pgData(Path dataDir) {
        return dataDir.resolve("postgres");
    }

    /** PostgreSQL runs as its own process: a stack killed before its watchdog acted may have left it running. */
    public static void stopLeftover(Path dataDir) {
        postmaster(pgData(dataDir)).ifPresent(p -> OrphanedProcesses.stop(p, "PostgreSQL", Duration.ofSeconds(20)));
    }

    /** The live postmaster serving {@code pgData}, by its postmaster.pid. */
    public static Optional<ProcessHandle> postmaster(Path pgData) {
        return OrphanedProcesses.find(pgData.resolve("postmaster.pid"), "postgres");
    }

    public static LocalPostgres start(Path dataDir, int port) throws IOException, SQLException {
        Path pgData = pgData(dataDir);
        Path log = dataDir.resolve("logs/postgres.log");
        Files.createDirectories(log.getParent());
        var watchdog = PostmasterWatchdog.start(pgData, log);
        EmbeddedPostgres postgres = null;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "50")
                    .setServerConfig("fsync", "on")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            // The embedded library only waits until something answers on the port; make sure it is ours.
            requireOurServer(port, pgData);
            createRoleAndDatabases(port);
            return new LocalPostgres(postgres, watchdog);
        } catch (IOException | SQLException | RuntimeException e) {
            if (postgres != null) {
                postgres.close();
            }
            stopLeftover(dataDir); // a postmaster that came up after the library gave up waiting
            watchdog.close();
            throw e;
        }
    }

    /**
     * Fails unless the server answering on 127.0.0.1:{@code port} serves {@code pgData} from the postmaster
     * named in its postmaster.pid: if ours failed to bind, a stranger on the port would otherwise be used.
     */
    public static void requireOurServer(int port, Path pgData) throws IOException {
        String expected = pgData.toRealPath().toString();
        String served;
        long backendPid;
        try (Connection c = connect(port, "postgres"); var st = c.createStatement();
                var rs = st.executeQuery("select current_setting('data_directory'), pg_backend_pid()")) {
            rs.next();
            served = rs.getString(1);
            backendPid = rs.getLong(2);
        } catch (SQLException e) {
            throw new IllegalStateException("could not confirm that the PostgreSQL answering on 127.0.0.1:" + port
                    + " is the one started for " + pgData + " (" + e.getMessage() + "). Another PostgreSQL may hold the port:"
                    + " stop it, or set THRUSTLINE_DB_PORT to a free port.", e);
        }
        if (!sameDirectory(served, expected)) {
            throw new IllegalStateException("the PostgreSQL answering on 127.0.0.1:" + port + " serves " + served
                    + ", not this stack's " + expected + ": another PostgreSQL holds the port and ours did not start"
                    + " (see logs/postgres.log). Stop that server, or set THRUSTLINE_DB_PORT to a free port.");
        }
        // Every backend is a child of its postmaster: ours is the one postmaster.pid names.
        long postmasterPid = postmaster(pgData).map(ProcessHandle::pid).orElse(-1L);
        Optional<Long> parent = ProcessHandle.of(backendPid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid);
        if (postmasterPid < 0 || parent.isPresent() && parent.get() != postmasterPid) {
            throw new IllegalStateException("the PostgreSQL answering on 127.0.0.1:" + port + " is not run by the postmaster"
                    + " in " + pgData.resolve("postmaster.pid") + " (pid " + postmasterPid + "); stop the other server,"
                    + " or set THRUSTLINE_DB_PORT to a free port.");
        }
    }

    private static boolean sameDirectory(String served, String expected) {
        try {
            return Path.of(served).toRealPath().toString().equals(expected);
        } catch (IOException notHere) {
            return false; // a directory that does not exist here is certainly not ours
        }
    }

    private static void createRoleAndDatabases(int port) throws SQLException {
        try (Connection c = connect(port, "postgres"); var st = c.createStatement()) {
            st.execute("do $$ begin if not exists (select from pg_roles where rolname = '" + USER + "') then "
                    + "create role " + USER + " login password '" + PASSWORD + "'; end if; end $$");
            for (String database : new String[] {"thrustline", "registry"}) {
                try (var rs = st.executeQuery("select 1 from pg_database where datname = '" + database + "'")) {
                    if (!rs.next()) {
                        st.execute("create database " + database + " owner " + USER);
                    }
                }
            }
        }
    }

    /** As the superuser, on the same address the services use (the library's own connections go to "localhost"). */
    private static Connection connect(int port, String database) throws SQLException {
        var props = new Properties();
        props.setProperty("user", SUPERUSER);
        props.setProperty("connectTimeout", "10");
        props.setProperty("socketTimeout", "30");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, props);
    }

    @Override
    public void close() throws IOException {
        watchdog.close(); // first, so it cannot signal a pid that is reused once PostgreSQL has stopped
        postgres.close();
    }
}
