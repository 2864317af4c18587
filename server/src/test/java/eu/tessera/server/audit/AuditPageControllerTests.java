package eu.tessera.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

class AuditPageControllerTests {

    @Test
    void cellWhenCsvSpecialOrAFormulaThenQuotedAndDefused() {
        assertThat(AuditPageController.cell("plain")).isEqualTo("\"plain\"");
        assertThat(AuditPageController.cell("say \"hi\", then")).isEqualTo("\"say \"\"hi\"\", then\"");
        assertThat(AuditPageController.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(AuditPageController.cell("@SUM(A1)")).startsWith("\"'@");
        assertThat(AuditPageController.cell(null)).isEmpty();
    }

    @Test
    void timeWhenADateThenTheDayInUtcAndAnEndDateIncludesItsDay() {
        assertThat(AuditPageController.time("2026-11-25", false)).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
        assertThat(AuditPageController.time("2026-11-25", true)).isEqualTo(Instant.parse("2026-11-26T00:00:00Z"));
        assertThat(AuditPageController.time("2026-11-25T10:30", false)).isEqualTo(Instant.parse("2026-11-25T10:30:00Z"));
        assertThat(AuditPageController.time("", false)).isNull();
        assertThatThrownBy(() -> AuditPageController.time("yesterday", false))
                .isInstanceOf(DateTimeParseException.class);
    }
}
