package eu.tessera.server.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The "group or below" predicate evaluated by a real database (H2; the ITs run it on PostgreSQL). */
class GroupPathsTests {

    @ParameterizedTest(name = "{0} within {1}: {2}")
    @CsvSource({
            "/cms, /cms, true",
            "/cms/prod, /cms, true",
            "/cms/prod/x, /cms, true",
            "/cmsx, /cms, false",
            "/cms, /cms/prod, false",
            "/axb/c, /a_b, false",
            "/a_b/c, /a_b, true",
            "/a%b, /a%, false"})
    void withinWhenPathsThenComponentPrefixOnly(String descendant, String ancestor, boolean expected) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:h2:mem:paths");
                PreparedStatement query = db.prepareStatement("select case when "
                        + GroupPaths.within("?", "?") + " then 1 else 0 end")) {
            // a ? descendant appears twice, a ? ancestor three times, in the order of the SQL
            String sql = GroupPaths.within("D", "A");
            int index = 1;
            for (char c : sql.toCharArray()) {
                if (c == 'D') {
                    query.setString(index++, descendant);
                } else if (c == 'A') {
                    query.setString(index++, ancestor);
                }
            }
            try (ResultSet result = query.executeQuery()) {
                assertThat(GroupPaths.isWithin(descendant, ancestor)).as("the Java test").isEqualTo(expected);
                assertThat(result.next()).isTrue();
                assertThat(result.getInt(1) == 1).isEqualTo(expected);
            }
        }
    }
}
