package io.thrustline.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line itself; the export it writes is tested against the running service in ReportingServiceTest. */
class ExportCommandTest {

    private final StringWriter errors = new StringWriter();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return ExportCommand.commandLine(env, out, new PrintWriter(errors, true)).execute(args);
    }

    @Test
    void helpListsEveryOptionAndExitsZero() {
        var usage = new StringWriter();
        var command = ExportCommand.commandLine(Map.of(), out, new PrintWriter(errors, true));
        command.setOut(new PrintWriter(usage, true));
        assertThat(command.execute("--help")).isZero();
        assertThat(usage.toString()).contains("DATASET", "--from", "--to", "--format", "--study", "--changed-since", "--out");
    }

    @Test
    void badOptionsAreRefusedWithUsageNotAStackTrace() {
        assertThat(run(Map.of())).as("no dataset").isEqualTo(2);
        assertThat(errors.toString()).contains("Missing required parameter").doesNotContain("\tat ");
        assertThat(run(Map.of(), "sets", "--from=yesterday")).isEqualTo(2);
        assertThat(run(Map.of(), "sets", "--colour", "red")).isEqualTo(2);
        assertThat(errors.toString()).contains("Unknown option").doesNotContain("\tat ");
    }

    @Test
    void anUnknownDatasetOrAnUnreachableDatabaseIsOneLine() {
        assertThat(run(Map.of("THRUSTLINE_PROFILE", "local"), "people")).isEqualTo(1);
        assertThat(errors.toString()).startsWith("thrustline export: export one of sets, balances, insights");
        errors.getBuffer().setLength(0);
        assertThat(run(Map.of("THRUSTLINE_PROFILE", "local", "THRUSTLINE_DB_URL", "jdbc:postgresql://127.0.0.1:9/none"), "sets", "--format=csv"))
                .isEqualTo(1);
        assertThat(errors.toString()).startsWith("thrustline export: ").doesNotContain("\tat ");
        assertThat(out.size()).isZero();
    }
}
