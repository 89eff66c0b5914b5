package io.thrustline.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AccessTokensTest {

    private final AccessTokens tokens = AccessTokens.parse("t-admin=admin,t-ana=coach:ana,t-res=researcher");

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
        assertThatThrownBy(() -> AccessTokens.parse("secret-1=superuser")).hasMessageContaining("entry 1").hasMessageNotContaining("secret-1");
        assertThatThrownBy(() -> AccessTokens.parse("=admin")).hasMessageContaining("empty token");
        assertThatThrownBy(() -> AccessTokens.parse("x=coach:")).hasMessageContaining("entry 1");
    }
}
