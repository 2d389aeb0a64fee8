package io.hanse.api.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.security.Permission;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventDraftTest {

    private static final Source SOURCE = new Source(Source.Kind.USER, "test");

    @Test
    void typesAreDotSeparatedLowerCaseWordsOfThreeToOneHundredCharacters() {
        for (String type : List.of("a.b", "deploy.finished", "monitoring.state-changed", "x1.y2.z-3",
                "a." + "b".repeat(98))) {
            assertEquals(type, EventDraft.checkType(type));
        }
        for (String type : List.of("", "ab", "deploy", "deploy.", ".deploy", "deploy..finished", "Deploy.finished",
                "deploy.Finished", "deploy.1st", "deploy.-x", "deploy finished", "deploy.finishéd",
                "a." + "b".repeat(99))) {
            InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                    () -> EventDraft.checkType(type), type);
            assertEquals("event type '" + type + "' must be dot-separated lower-case words such as"
                    + " monitoring.result, at most 100 characters", refused.getMessage());
        }
        assertEquals("an event needs a type, such as monitoring.result",
                assertThrows(InvalidRequestException.class, () -> EventDraft.checkType(null)).getMessage());
    }

    @Test
    void aClientsTypeIsInNoNamespaceOfTheKernelsOrAPluginsRecords() {
        List<Permission> declared = List.of(new Permission("monitoring:read", "Read checks", Permission.Level.READ),
                new Permission("timeline:append", "Append events", Permission.Level.OPERATE));
        for (String type : List.of("deploy.finished", "monitor.check", "systems-x.y", "statuses.changed")) {
            assertEquals(type, EventDraft.checkClientType(type, declared));
        }
        for (String type : List.of("system.created", "status.changed", "agent.lost", "monitoring.state-changed",
                "timeline.x")) {
            String namespace = type.substring(0, type.indexOf('.'));
            assertEquals("event type '" + type + "' is in the namespace " + namespace + ", which is kept for the"
                    + " records of the kernel or a plugin; use a namespace of your own, such as deploy.finished",
                    assertThrows(InvalidRequestException.class, () -> EventDraft.checkClientType(type, declared))
                            .getMessage());
        }
        assertThrows(InvalidRequestException.class, () -> EventDraft.checkClientType("Deploy.x", declared));
    }

    @Test
    void idsAreOneToTwoHundredLettersDigitsAndPunctuation() {
        for (String id : List.of("a", "fra:bench-1", "A.b_c:d-9", "x".repeat(200))) {
            assertEquals(id, new EventDraft(id, "deploy.finished", "db", null, SOURCE, null).id());
        }
        for (String id : List.of("", "a b", "a/b", "é", "x".repeat(201))) {
            InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                    () -> new EventDraft(id, "deploy.finished", "db", null, SOURCE, null), id);
            assertEquals("event id must be 1 to 200 letters, digits and . _ -, and : in the ids Hanse, its plugins and"
                    + " its peers give", refused.getMessage());
        }
    }
}
