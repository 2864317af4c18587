package eu.tessera.server.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScimFilterTest {

    static final Map<String, String> COLUMNS = Map.of("username", "a.username", "emails.value", "a.email",
            "emails", "a.email", "active", "bool:a.active");

    @Test
    void comparisonsAndLogic() {
        ScimFilter.Sql sql = ScimFilter.parse("userName eq \"Alice\" and (emails co \"@EXAMPLE\" or "
                + "userName sw \"a_b%\") and active eq true", COLUMNS);
        assertThat(sql.where()).isEqualTo("(((lower(a.username) = ?) and (((lower(a.email) like ? escape '\\') or "
                + "(lower(a.username) like ? escape '\\')))) and (a.active = ?))");
        assertThat(sql.parameters()).containsExactly("alice", "%@example%", "a\\_b\\%%", true);
        assertThat(ScimFilter.parse("not (emails.value pr)", COLUMNS).where()).isEqualTo("(not (a.email is not null))");
        assertThat(ScimFilter.parse("USERNAME EQ \"x\"", COLUMNS).parameters()).isEqualTo(List.of("x"));
    }

    @Test
    void injectionAndNonsenseAreInvalidFilters() {
        for (String filter : List.of("userName eq \"x\"; drop table account", "password eq \"x\"",
                "userName gt \"a\"", "userName eq", "(userName eq \"x\"", "active eq \"yes\"", "userName eq \"open",
                "userName eq null", "x".repeat(3000))) {
            assertThatThrownBy(() -> ScimFilter.parse(filter, COLUMNS)).as(filter)
                    .isInstanceOfSatisfying(ScimException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.scimType()).isEqualTo("invalidFilter");
                    });
        }
    }
}
