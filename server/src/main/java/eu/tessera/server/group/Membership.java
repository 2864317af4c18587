package eu.tessera.server.group;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** An account's membership of a group: default or optional, with an optional end time. */
@Entity
@Table(name = "membership")
public class Membership {

    /** Composite key (account, group). */
    @Embeddable
    public record Key(@Column(name = "account_id") String accountId, @Column(name = "group_id") String groupId)
            implements Serializable {
    }

    @EmbeddedId
    private Key key;
    private boolean optional;
    private Instant endTime;
    @Column(nullable = false)
    private Instant createdAt;

    protected Membership() {
    }

    public Membership(String accountId, String groupId, boolean optional, Instant now) {
        this.key = new Key(accountId, groupId);
        this.optional = optional;
        this.createdAt = now;
    }

    public Key getKey() {
        return key;
    }

    public boolean isOptional() {
        return optional;
    }

    public Instant getEndTime() {
        return endTime;
    }

    public void setEndTime(Instant endTime) {
        this.endTime = endTime;
    }
}
