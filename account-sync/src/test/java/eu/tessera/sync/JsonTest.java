package eu.tessera.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void roundTripOfNestedValuesWithEscapes() {
        Map<String, Object> value = Map.of("a", List.of(1L, "x\"y\\z\n\u0001", true), "b", Map.of("c", false));
        Object parsed = Json.parse(Json.write(value));
        assertThat(parsed).isEqualTo(value);
        Map<String, Object> parsed2 = Json.parseObject("{\"u\":\"\\u00e9\\/\",\"n\":-1.5e2,\"z\":null}");
        assertThat(parsed2.get("u")).isEqualTo("\u00e9/");
        assertThat(parsed2.get("n")).isEqualTo(new java.math.BigDecimal("-1.5e2"));
        assertThat(parsed2).containsKey("z").containsEntry("z", null);
        assertThat(Json.parseLines("{\"a\":1}\n\n{\"a\":2}\n")).hasSize(2);
    }

    @Test
    void invalidJsonThenClearError() {
        assertThatThrownBy(() -> Json.parse("{\"a\":}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position 5");
        assertThatThrownBy(() -> Json.parse("[1,2] x")).hasMessageContaining("after the value");
        assertThatThrownBy(() -> Json.parse("\"abc")).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> Json.parse("[".repeat(100))).hasMessageContaining("nested deeper");
        assertThatThrownBy(() -> Json.parse("01")).hasMessageContaining("unexpected");
    }
}
