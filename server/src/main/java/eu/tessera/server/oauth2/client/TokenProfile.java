package eu.tessera.server.oauth2.client;

import java.util.Locale;

/** The claim set of a client's tokens: WLCG (default), AARC entitlements, or INDIGO IAM's groups. */
public enum TokenProfile {
    WLCG, AARC, IAM;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for anything but {@code wlcg}, {@code aarc}, {@code iam} */
    public static TokenProfile fromWireName(String name) {
        for (TokenProfile profile : values()) {
            if (profile.wireName().equals(name)) {
                return profile;
            }
        }
        throw new IllegalArgumentException("unknown token profile: " + name);
    }
}
