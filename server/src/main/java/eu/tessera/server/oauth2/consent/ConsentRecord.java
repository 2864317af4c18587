package eu.tessera.server.oauth2.consent;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;

/** The scopes a user has consented to for one client (space-separated authorities). */
@Entity
@Table(name = "oauth_consent")
public class ConsentRecord {

    /** Key (client, user). */
    @Embeddable
    public record Key(@Column(name = "client_id") String clientId,
            @Column(name = "principal_name") String principalName) implements Serializable {
    }

    @EmbeddedId
    Key key;
    @Column(nullable = false)
    String authorities;

    protected ConsentRecord() {
    }

    ConsentRecord(Key key, String authorities) {
        this.key = key;
        this.authorities = authorities;
    }
}
