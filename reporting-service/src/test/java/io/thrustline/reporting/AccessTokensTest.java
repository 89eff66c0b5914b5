package io.thrustline.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thrustline.http.Profile;
import org.junit.jupiter.api.Test;

class AccessTokensTest {

    private final AccessTokens tokens = AccessTokens.parse("t-admin=admin,t-ana=coach:ana,t-res=researcher", Profile.LOCAL);

    @Test
    void eachTokenGrantsItsRole() {
        assertThat(tokens.callerFor("t-admin")).contains(new Caller.Admin());
        assertThat(tokens.callerFor("t-ana")).contains(new Caller.Coach("ana"));
        assertThat(tokens.callerFor("t-res")).contains(new Caller.Researcher());
        assertThat(tokens.callerFor("t-nobody")).isEmpty();
        assertThat(tokens.callerFor(null)).isEmpty();
    }

    @Test
    void unknownRolesAndEmptyTokensAreRejectedWithoutEchoingTheToken() {
        assertThatThrownBy(() -> AccessTokens.parse("secret-1=superuser", Profile.LOCAL)).hasMessageContaining("entry 1").hasMessageNotContaining("secret-1");
        assertThatThrownBy(() -> AccessTokens.parse("=admin", Profile.LOCAL)).hasMessageContaining("empty token");
        assertThatThrownBy(() -> AccessTokens.parse("x=coach:", Profile.LOCAL)).hasMessageContaining("entry 1");
    }

    @Test
    void outsideTheLocalProfileDemoAndShortTokensStopTheService() {
        assertThatThrownBy(() -> AccessTokens.parse("demo-admin=admin", Profile.PRODUCTION))
                .hasMessageContaining("demo").hasMessageNotContaining("demo-admin=");
        assertThatThrownBy(() -> AccessTokens.parse("short-token=coach:ana", Profile.PRODUCTION)).hasMessageContaining("shorter than 24");
        String longToken = "t".repeat(24);
        assertThat(AccessTokens.parse(longToken + "=researcher", Profile.PRODUCTION).callerFor(longToken)).contains(new Caller.Researcher());
    }
}
