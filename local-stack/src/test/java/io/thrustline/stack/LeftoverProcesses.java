package io.thrustline.stack;

import java.nio.file.Path;
import java.util.List;
import io.thrustline.infrastructure.LocalPostgres;
import io.thrustline.infrastructure.RegistryProcess;
import io.thrustline.infrastructure.OrphanedProcesses;

/** What a stack under a data directory may have left running: for tests asserting that nothing was. */
final class LeftoverProcesses {

    private LeftoverProcesses() {}

    /**
     * Live processes other than this JVM that belong to the stack under {@code dataDir}: the postmaster its
     * postmaster.pid names, anything whose command line mentions the directory (PostgreSQL, its watchdog),
     * the registry its pid file names, and any child of this JVM.
     */
    static List<String> of(Path dataDir) {
        long self = ProcessHandle.current().pid();
        var found = new java.util.TreeSet<String>();
        LocalPostgres.postmaster(LocalPostgres.pgData(dataDir)).ifPresent(p -> found.add(describe(p)));
        OrphanedProcesses.find(RegistryProcess.pidFile(dataDir), "quarkus-run.jar").ifPresent(p -> found.add(describe(p)));
        ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self)
                .filter(p -> p.info().commandLine().map(c -> c.contains(dataDir.toString())).orElse(false))
                .forEach(p -> found.add(describe(p)));
        ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).forEach(p -> found.add(describe(p)));
        return List.copyOf(found);
    }

    private static String describe(ProcessHandle p) {
        return p.pid() + " " + p.info().commandLine().orElse(p.info().command().orElse("?"));
    }
}
