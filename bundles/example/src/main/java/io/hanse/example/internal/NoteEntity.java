package io.hanse.example.internal;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;

@Entity
@Table(name = "example_note")
public class NoteEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private long id;

    @Column(name = "text", nullable = false, length = NoteStore.MAX_TEXT_LENGTH)
    private String text;

    @Column(name = "created", nullable = false, updatable = false)
    private Instant created;

    protected NoteEntity() {
        // for JPA
    }

    NoteEntity(String text, Instant created) {
        this.text = text;
        this.created = created;
    }

    Note toNote() {
        return new Note(id, text, created);
    }
}
