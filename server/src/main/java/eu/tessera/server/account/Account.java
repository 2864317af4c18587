package eu.tessera.server.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A person or service account of the VO; {@code id} is the stable, non-reassigned {@code sub}. */
@Entity
@Table(name = "account")
public class Account {

    @Id
    private String id;
    @Column(nullable = false, unique = true)
    private String username;
    private String passwordHash;
    private String email;
    private String givenName;
    private String familyName;
    private boolean admin;
    private boolean reader;
    private boolean serviceAccount;
    private boolean active;
    private Instant endTime;
    @Column(nullable = false)
    private Instant createdAt;
    @Column(nullable = false)
    private Instant updatedAt;

    protected Account() {
    }

    public Account(String username, String email, String givenName, String familyName, Instant now) {
        this(UUID.randomUUID().toString(), username, email, givenName, familyName, now);
    }

    /** An account with a given id (an import keeps the old service's id, so tokens keep the same {@code sub}). */
    public Account(String id, String username, String email, String givenName, String familyName, Instant now) {
        this.id = id;
        this.username = username;
        this.email = email;
        this.givenName = givenName;
        this.familyName = familyName;
        this.active = true;
        this.createdAt = now;
        this.updatedAt = now;
    }

    public String getId() {
        return id;
    }

    public String getUsername() {
        return username;
    }

    public String getPasswordHash() {
        return passwordHash;
    }

    public void setPasswordHash(String passwordHash, Instant now) {
        this.passwordHash = passwordHash;
        this.updatedAt = now;
    }

    public String getEmail() {
        return email;
    }

    public void setEmail(String email, Instant now) {
        this.email = email;
        this.updatedAt = now;
    }

    public String getGivenName() {
        return givenName;
    }

    public String getFamilyName() {
        return familyName;
    }

    /** Display name: given and family name, or the username. */
    public String getDisplayName() {
        String name = ((givenName == null ? "" : givenName) + " " + (familyName == null ? "" : familyName)).trim();
        return name.isEmpty() ? username : name;
    }

    public boolean isAdmin() {
        return admin;
    }

    public void setAdmin(boolean admin) {
        this.admin = admin;
    }

    /** Read-only administrator (INDIGO IAM's ROLE_READER). */
    public boolean isReader() {
        return reader;
    }

    public void setReader(boolean reader) {
        this.reader = reader;
    }

    public boolean isServiceAccount() {
        return serviceAccount;
    }

    public boolean isActive() {
        return active;
    }

    public void setActive(boolean active, Instant now) {
        this.active = active;
        this.updatedAt = now;
    }

    public Instant getEndTime() {
        return endTime;
    }

    public void setEndTime(Instant endTime) {
        this.endTime = endTime;
    }

    /** Active and not past its end time: only such an account logs in and gets tokens. */
    public boolean isUsable(Instant now) {
        return active && (endTime == null || endTime.isAfter(now));
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
