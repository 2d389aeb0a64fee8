package io.hanse.kernel.store.internal;

import io.hanse.kernel.store.InstanceRecord;
import io.hanse.kernel.store.InstanceStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import javax.persistence.EntityManager;
import org.apache.aries.jpa.template.JpaTemplate;
import org.apache.aries.jpa.template.TransactionType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

// Immediate, so that the migrations run, and fail visibly, when the database appears.
@Component(service = InstanceStore.class, immediate = true)
public final class JpaInstanceStore implements InstanceStore {

    private final JpaTemplate jpa;

    @Activate
    public JpaInstanceStore(@Reference KernelSchema schema,
            @Reference(target = "(osgi.unit.name=hanse-kernel)") JpaTemplate jpa) {
        this.jpa = jpa;
    }

    @Override
    public InstanceRecord loadOrCreate(String name) {
        try {
            return jpa.txExpr(TransactionType.Required, em -> {
                InstanceEntity stored = find(em);
                if (stored == null) {
                    stored = new InstanceEntity(UUID.randomUUID().toString(), name,
                            Instant.now().truncatedTo(ChronoUnit.MILLIS));
                    em.persist(stored);
                }
                return stored.toRecord();
            });
        } catch (RuntimeException e) {
            // If another node created the record at the same moment, its record is the one;
            // the failure is this insert's unique key violation, however the template wraps it.
            InstanceEntity created = jpa.txExpr(TransactionType.Required, JpaInstanceStore::find);
            if (created == null) {
                throw e;
            }
            return created.toRecord();
        }
    }

    @Override
    public InstanceRecord rename(String name) {
        return jpa.txExpr(TransactionType.Required, em -> {
            InstanceEntity stored = find(em);
            stored.rename(name);
            return stored.toRecord();
        });
    }

    private static InstanceEntity find(EntityManager em) {
        return em.find(InstanceEntity.class, InstanceEntity.SINGLETON);
    }
}
