package eu.tessera.sync.rucio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OwnerMarkerTest {

    @Test
    void uuidWhenWrittenThenAtMost30CharactersRucioAcceptsAndReadBackToTheId() {
        for (int i = 0; i < 10_000; i++) {
            String id = UUID.randomUUID().toString();
            String marker = OwnerMarker.of(id);
            assertThat(marker).hasSize(22).matches(OwnerMarker.RUCIO_ATTRIBUTE);
            assertThat(OwnerMarker.accountId(marker)).isEqualTo(id);
            assertThat(OwnerMarker.names(marker, id)).isTrue();
            assertThat(OwnerMarker.current(marker)).isTrue();
        }
        assertThat(OwnerMarker.of("00000000-0000-0000-0000-000000000000")).isEqualTo("AAAAAAAAAAAAAAAAAAAAAA");
        assertThat(OwnerMarker.of("ffffffff-ffff-ffff-ffff-ffffffffffff")).isEqualTo("_____________________w");
    }

    @Test
    void markerWhenOfThePreviousFormThenRecognisedAndNotCurrent() {
        String id = "0f8fad5b-d9cb-469f-a165-70867728950e";
        assertThat(OwnerMarker.names(id, id)).isTrue();
        assertThat(OwnerMarker.names(id.toUpperCase(), id)).isTrue();
        assertThat(OwnerMarker.current(id)).isFalse();
        assertThat(OwnerMarker.accountId(id)).isEqualTo(id);
        assertThat(OwnerMarker.names(OwnerMarker.of(id), "7c9e6679-7425-40de-944b-e07fc1f90ae7")).isFalse();
    }

    @Test
    void idThatIsNoUuidWhenItFitsRucioThenWrittenAsItIs() {
        assertThat(OwnerMarker.of("id-1")).isEqualTo("id-1");
        assertThat(OwnerMarker.accountId("id-1")).isEqualTo("id-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "a:b", "0123456789012345678901234567890", "AAAAAAAAAAAAAAAAAAAAAA"})
    void idThatRucioWouldRefuseOrThatReadsAsAUuidWhenWrittenThenRefused(String id) {
        assertThatThrownBy(() -> OwnerMarker.of(id)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be written as a Rucio attribute");
    }
}
