package io.hanse.kernel.store.internal;

import io.hanse.kernel.store.InstanceRecord;
import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/** The single row that says who this instance is. */
@Entity
@Table(name = "hanse_instance")
public class InstanceEntity {

    /** The fixed key of the one row, so that concurrent first starts cannot create two. */
    static final short SINGLETON = 1;

    @Id
    @Column(name = "singleton")
    private short singleton;

    @Column(name = "id", nullable = false, updatable = false, length = 36)
    private String id;

    @Column(name = "name", nullable = false, length = 63)
    private String name;

    @Column(name = "created", nullable = false, updatable = false)
    private Instant created;

    protected InstanceEntity() {
        // for JPA
    }

    InstanceEntity(String id, String name, Instant created) {
        this.singleton = SINGLETON;
        this.id = id;
        this.name = name;
        this.created = created;
    }

    void rename(String newName) {
        this.name = newName;
    }

    InstanceRecord toRecord() {
        return new InstanceRecord(id, name, created);
    }
}
