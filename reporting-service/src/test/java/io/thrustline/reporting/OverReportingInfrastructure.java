package io.thrustline.reporting;

import io.thrustline.http.Credentials;
import io.thrustline.testing.OverRealInfrastructure;

/** Real infrastructure for reporting-service's own tests, with the tokens and export secret they sign in with. */
abstract class OverReportingInfrastructure extends OverRealInfrastructure {

    /** The tokens every such test signs in with: the demo ones, and a coach with nobody on their roster. */
    static final String TOKENS = Credentials.DEMO_REPORTING_TOKENS + ",coach-other=coach:coach-other";
    static final String EXPORT_SECRET = "test-export-secret-0123456789";

    /** reporting-service on this infrastructure, reading as consumer group prefix {@code group}. */
    ReportingConfig reportingConfig(String group) {
        return ReportingConfig.local(config.bootstrapServers(), config.registryUrl(), group, config.jdbcUrl("thrustline"), "thrustline",
                "thrustline", TOKENS, EXPORT_SECRET);
    }
}
