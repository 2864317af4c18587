package eu.tessera.policy.scope;

/** Any other scope ({@code openid}, {@code offline_access}, {@code iam:admin.read}): matched by equality. */
public record PlainScope(String value) implements WlcgScope {

    @Override
    public boolean covers(WlcgScope requested) {
        return requested.value().equals(value);
    }
}
