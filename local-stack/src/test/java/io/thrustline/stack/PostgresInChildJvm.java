package io.thrustline.stack;

import java.nio.file.Path;
import io.thrustline.infrastructure.LocalPostgres;

/** Test helper run as its own JVM: starts the stack's PostgreSQL under args[0] on port args[1], says "ready", waits to be killed. */
final class PostgresInChildJvm {

    private PostgresInChildJvm() {}

    public static void main(String[] args) throws Exception {
        LocalPostgres.start(Path.of(args[0]), Integer.parseInt(args[1]));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
