package eu.tessera.server.login.mfa;

/** TOTP codes for tests outside this package: the code an authenticator app shows for a base32 secret. */
public final class TotpCodes {

    private TotpCodes() {
    }

    /** The code of the current time step plus {@code stepsAhead}. */
    public static String now(String base32Secret, int stepsAhead) {
        return Totp.code(Base32.decode(base32Secret), Totp.step(java.time.Instant.now()) + stepsAhead);
    }
}
