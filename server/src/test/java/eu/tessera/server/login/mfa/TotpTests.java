package eu.tessera.server.login.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TotpTests {

    /** RFC 6238 appendix B, SHA-1 key "12345678901234567890": the last 6 of the 8 digits it lists. */
    private static final byte[] RFC_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({"59, 287082", "1111111109, 081804", "1111111111, 050471", "1234567890, 005924",
            "2000000000, 279037", "20000000000, 353130"})
    void codeWhenRfc6238VectorThenSameDigits(long unixTime, String expected) {
        assertThat(Totp.code(RFC_KEY, Totp.step(Instant.ofEpochSecond(unixTime)))).isEqualTo(expected);
    }

    @Test
    void matchingStepWhenCodeOfNeighbouringStepThenAcceptedWithinWindowOnly() {
        Instant now = Instant.ofEpochSecond(1_700_000_015);
        long step = Totp.step(now);
        assertThat(Totp.matchingStep(RFC_KEY, Totp.code(RFC_KEY, step - 1), now, 1)).hasValue(step - 1);
        assertThat(Totp.matchingStep(RFC_KEY, Totp.code(RFC_KEY, step + 1), now, 1)).hasValue(step + 1);
        assertThat(Totp.matchingStep(RFC_KEY, Totp.code(RFC_KEY, step - 2), now, 1)).isEmpty();
        assertThat(Totp.matchingStep(RFC_KEY, Totp.code(RFC_KEY, step + 1), now, 0)).isEmpty();
        assertThat(Totp.matchingStep(RFC_KEY, Totp.code(RFC_KEY, step), now, 0)).hasValue(step);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12345", "1234567", "12345a", "１２３４５６", "12 345", "-12345", "+12345"})
    void wellFormedWhenNotSixAsciiDigitsThenFalse(String code) {
        assertThat(Totp.wellFormed(code)).isFalse();
        assertThat(Totp.matchingStep(RFC_KEY, code, Instant.now(), 1)).isEmpty();
    }

    @Test
    void base32WhenRoundTripThenSameBytesAndRfc4648Text() {
        assertThat(Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
        assertThat(Base32.encode("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MY");
        assertThat(new String(Base32.decode("mzxw 6ytb oi=="), StandardCharsets.US_ASCII)).isEqualTo("foobar");
        byte[] random = new byte[20];
        new java.security.SecureRandom().nextBytes(random);
        assertThat(Base32.decode(Base32.encode(random))).isEqualTo(random);
    }

    @ParameterizedTest
    @CsvSource({"abcd-efgh-ijkl-mnop, abcdefghijklmnop", "ABCD EFGH IJKL MNOP, abcdefghijklmnop",
            "abcd-efgh-ijkl-mno, ", "abcd-efgh-ijkl-mno1, ", "abcd-efgh-ijkl-mnopq, "})
    void normalizeRecoveryCodeWhenFormsThenSixteenBase32OrNull(String input, String expected) {
        assertThat(MfaService.normalizeRecoveryCode(input)).isEqualTo(expected);
    }
}
