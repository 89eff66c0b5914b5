package io.thrustline.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A real PostgreSQL server (embedded binaries) whose data directory survives restarts. Holds two databases:
 * {@code thrustline} for the reporting service and {@code registry} for the schema registry's storage.
 */
final class LocalPostgres implements AutoCloseable {

    static final String USER = "thrustline";
    static final String PASSWORD = "thrustline";

    private final EmbeddedPostgres postgres;

    private LocalPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static LocalPostgres start(Path dataDir, int port) throws IOException, SQLException {
        Path pgData = dataDir.resolve("postgres");
        // PostgreSQL runs as its own process: after a kill -9 of the stack it is still up, holding the data dir.
        OrphanedProcesses.find(pgData.resolve("postmaster.pid"), "postgres")
                .ifPresent(p -> OrphanedProcesses.stop(p, "PostgreSQL", Duration.ofSeconds(20)));
        Files.createDirectories(dataDir.resolve("logs"));
        var postgres = EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "50")
                .setServerConfig("fsync", "on")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(dataDir.resolve("logs/postgres.log").toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(dataDir.resolve("logs/postgres.log").toFile()))
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
            st.execute("do $$ begin if not exists (select from pg_roles where rolname = '" + USER + "') then "
                    + "create role " + USER + " login password '" + PASSWORD + "'; end if; end $$");
            for (String database : new String[] {"thrustline", "registry"}) {
                try (var rs = st.executeQuery("select 1 from pg_database where datname = '" + database + "'")) {
                    if (!rs.next()) {
                        st.execute("create database " + database + " owner " + USER);
                    }
                }
            }
        } catch (SQLException e) {
            postgres.close();
            throw e;
        }
        return new LocalPostgres(postgres);
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
