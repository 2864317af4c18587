package eu.tessera.server.group;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A group of the VO's tree, named by its path ({@code /escape/cms}). An optional group (the old VOMS role)
 * appears in tokens only when requested explicitly (WLCG profile section 3.1).
 */
@Entity
@Table(name = "vo_group")
public class VoGroup {

    @Id
    private String id;
    @Column(nullable = false, unique = true)
    private String path;
    @Column(nullable = false)
    private String name;
    private String parentId;
    private boolean optional;
    @Column(nullable = false)
    private Instant createdAt;

    protected VoGroup() {
    }

    public VoGroup(String path, String parentId, boolean optional, Instant now) {
        this.id = UUID.randomUUID().toString();
        this.path = path;
        this.name = path.substring(path.lastIndexOf('/') + 1);
        this.parentId = parentId;
        this.optional = optional;
        this.createdAt = now;
    }

    public String getId() {
        return id;
    }

    public String getPath() {
        return path;
    }

    public String getName() {
        return name;
    }

    public String getParentId() {
        return parentId;
    }

    public boolean isOptional() {
        return optional;
    }
}
