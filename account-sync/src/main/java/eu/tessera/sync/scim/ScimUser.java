package eu.tessera.sync.scim;

import java.util.List;

/**
 * What a SCIM server holds for a user.
 *
 * @param groups the paths (with leading slash) of the groups the user is a member of there
 */
public record ScimUser(String id, String userName, String externalId, String givenName, String familyName,
        String email, boolean active, List<String> groups) {

    public ScimUser {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }
}
