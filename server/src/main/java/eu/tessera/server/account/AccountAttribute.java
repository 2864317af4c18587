package eu.tessera.server.account;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;

/** A free-form attribute of an account (name -> value), issued as a VOMS generic attribute. */
@Entity
@Table(name = "account_attribute")
public class AccountAttribute {

    /** Composite key (account, name). */
    @Embeddable
    public record Key(@Column(name = "account_id") String accountId, @Column(name = "name") String name)
            implements Serializable {
    }

    @EmbeddedId
    private Key key;
    @Column(name = "attr_value", nullable = false)
    private String value;

    protected AccountAttribute() {
    }

    public AccountAttribute(String accountId, String name, String value) {
        this.key = new Key(accountId, name);
        this.value = value;
    }

    public String getName() {
        return key.name();
    }

    public String getValue() {
        return value;
    }

    public void setValue(String value) {
        this.value = value;
    }
}
