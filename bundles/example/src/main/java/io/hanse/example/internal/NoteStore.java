package io.hanse.example.internal;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import io.hanse.api.store.SchemaMigrator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.apache.aries.jpa.template.JpaTemplate;
import org.apache.aries.jpa.template.TransactionType;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Adds and reads notes. Brings the plugin's tables up to date when it starts.
 * <p>
 * Immediate, so that the migrations run as soon as the database is there and a failing one
 * shows in the health report, instead of inside the first caller.
 */
@Component(service = NoteStore.class, immediate = true)
public final class NoteStore {

    public static final int MAX_TEXT_LENGTH = 1000;
    public static final int MAX_LIMIT = 500;

    private final JpaTemplate jpa;

    @Activate
    public NoteStore(BundleContext context, @Reference SchemaMigrator migrator,
            @Reference(target = "(osgi.unit.name=hanse-example)") JpaTemplate jpa) {
        migrator.migrate(context.getBundle());
        this.jpa = jpa;
    }

    /**
     * Stores a new note.
     *
     * @throws InvalidRequestException if the text is blank or too long
     */
    public Note add(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidRequestException("text: a note needs some text");
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new InvalidRequestException("text: at most " + MAX_TEXT_LENGTH + " characters, not " + text.length());
        }
        NoteEntity entity = new NoteEntity(text.strip(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        return jpa.txExpr(TransactionType.Required, em -> {
            em.persist(entity);
            em.flush();
            return entity.toNote();
        });
    }

    /**
     * Returns the newest notes first.
     *
     * @throws InvalidRequestException if the limit is not between 1 and {@value #MAX_LIMIT}
     */
    public List<Note> newest(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException("limit: between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        return jpa.txExpr(TransactionType.Supports, em -> em
                .createQuery("select n from NoteEntity n order by n.id desc", NoteEntity.class)
                .setMaxResults(limit)
                .getResultStream()
                .map(NoteEntity::toNote)
                .toList());
    }

    /**
     * Returns one note.
     *
     * @throws NotFoundException if there is no note with this id
     */
    public Note get(long id) {
        return Optional.ofNullable(jpa.txExpr(TransactionType.Supports, em -> em.find(NoteEntity.class, id)))
                .map(NoteEntity::toNote)
                .orElseThrow(() -> new NotFoundException("no note " + id));
    }
}
