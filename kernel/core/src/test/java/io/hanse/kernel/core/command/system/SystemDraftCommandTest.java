package io.hanse.kernel.core.command.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.security.Scope;
import io.hanse.api.system.Link;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.Rules;
import io.hanse.api.system.Selector;
import io.hanse.api.system.SystemDraft;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SystemDraftCommandTest {

    @Test
    void addTurnsEveryOptionIntoThePartOfTheDraft() {
        SystemAddCommand add = new SystemAddCommand();
        add.slug = "storage-fra1";
        add.name = "Storage Frankfurt";
        add.kind = "service";
        add.labels = List.of("dc=fra1", "tier = gold");
        add.description = "Ceph for the fra1 hosts";
        add.owners = List.of("team-storage", "alice");
        add.links = List.of("Grafana|https://grafana.example/d/ceph|dashboard", "Runbook|https://wiki.example/ceph");
        add.rules = "Never reboot two nodes at once";
        add.mayTouch = List.of("team-storage");
        add.escalateTo = List.of("alice", "bob");
        add.members = List.of("db-1", "db-2");
        add.selector = "kind=host,dc=fra1";

        SystemDraft draft = add.draft();

        assertEquals("storage-fra1", draft.slug());
        assertEquals("Storage Frankfurt", draft.name());
        assertEquals("service", draft.kind());
        assertEquals(Map.of("dc", "fra1", "tier", "gold"), draft.labels());
        assertEquals("Ceph for the fra1 hosts", draft.description());
        assertEquals(List.of("team-storage", "alice"), draft.owners());
        assertEquals(List.of(
                new Link("Grafana", URI.create("https://grafana.example/d/ceph"), "dashboard"),
                new Link("Runbook", URI.create("https://wiki.example/ceph"), "link")), draft.links());
        assertEquals(new Rules("Never reboot two nodes at once", List.of("team-storage"), List.of("alice", "bob")),
                draft.rules());
        assertEquals(List.of("db-1", "db-2"), draft.members());
        assertEquals(Optional.of(Selector.parse("dc=fra1,kind=host")), draft.selector());
    }

    @Test
    void addWithoutOptionsLeavesTheDefaults() {
        SystemAddCommand add = new SystemAddCommand();
        add.slug = "db-1";

        SystemDraft draft = add.draft();

        assertEquals("db-1", draft.name());
        assertEquals("component", draft.kind());
        assertEquals(Map.of(), draft.labels());
        assertEquals(Rules.NONE, draft.rules());
        assertEquals(Optional.empty(), draft.selector());
    }

    @Test
    void setChangesOnlyWhatIsGiven() {
        SystemSetCommand set = new SystemSetCommand();
        set.name = "Storage FRA";
        set.labels = List.of("tier=silver", "env=prod");
        set.removeLabels = List.of("dc");
        set.escalateTo = List.of("carol");

        SystemDraft draft = set.draft(Systems.storage(), Scope.EVERYWHERE);

        assertEquals("storage-fra1", draft.slug());
        assertEquals("Storage FRA", draft.name());
        assertEquals("service", draft.kind());
        assertEquals(Map.of("tier", "silver", "env", "prod"), draft.labels());
        assertEquals("Ceph for the fra1 hosts", draft.description());
        assertEquals(List.of("team-storage"), draft.owners());
        assertEquals(Systems.storage().links(), draft.links());
        assertEquals(new Rules("Never reboot two nodes at once", List.of("team-storage"), List.of("carol")),
                draft.rules());
        assertEquals(List.of("db-1"), draft.members());
        assertEquals(Optional.of(Selector.parse("kind=host,dc=fra1")), draft.selector());
    }

    @Test
    void setWithoutOptionsGivesTheSystemAsItIs() {
        ManagedSystem storage = Systems.storage();

        assertEquals(storage.toDraft().build(), new SystemSetCommand().draft(storage, Scope.EVERYWHERE));
    }

    @Test
    void aListOptionReplacesTheListAndASingleBlankEmptiesIt() {
        SystemSetCommand set = new SystemSetCommand();
        set.owners = List.of("team-ceph", "dave");
        set.links = List.of("");
        set.mayTouch = List.of(" ");

        SystemDraft draft = set.draft(Systems.storage(), Scope.EVERYWHERE);

        assertEquals(List.of("team-ceph", "dave"), draft.owners());
        assertEquals(List.of(), draft.links());
        assertEquals(List.of(), draft.rules().mayTouch());
        assertEquals(List.of("alice", "bob"), draft.rules().escalateTo());
    }

    @Test
    void setMembersKeepsTheExplicitMembersTheShellUserMayNotRead() {
        ManagedSystem shop = Systems.storage();
        // db-1 is the only explicit member; bound on the system and web without members, db-1 is hidden.
        Scope readable = Scope.of(Set.of(shop.slug(), "web"));
        SystemSetCommand set = new SystemSetCommand();
        set.members = List.of("web");

        assertEquals(List.of("web", "db-1"), set.draft(shop, readable).members());
        set.members = List.of("");
        assertEquals(List.of("db-1"), set.draft(shop, readable).members());
        assertEquals(List.of(), set.draft(shop, Scope.EVERYWHERE).members());
    }

    @Test
    void setRenamesAndClearsTheSelector() {
        SystemSetCommand set = new SystemSetCommand();
        set.newSlug = "storage-fra2";
        set.clearSelector = true;

        SystemDraft draft = set.draft(Systems.storage(), Scope.EVERYWHERE);

        assertEquals("storage-fra2", draft.slug());
        assertEquals(Optional.empty(), draft.selector());
        assertEquals(List.of("db-1"), draft.members());
    }

    @Test
    void setRefusesASelectorTogetherWithClearSelector() {
        SystemSetCommand set = new SystemSetCommand();
        set.selector = "kind=host";
        set.clearSelector = true;

        InvalidRequestException error = assertThrows(InvalidRequestException.class,
                () -> set.draft(Systems.storage(), Scope.EVERYWHERE));
        assertEquals("give --selector or --clear-selector, not both", error.getMessage());
    }

    @Test
    void setRefusesToRemoveALabelThatIsNotThere() {
        SystemSetCommand set = new SystemSetCommand();
        set.removeLabels = List.of("rack");

        InvalidRequestException error = assertThrows(InvalidRequestException.class,
                () -> set.draft(Systems.storage(), Scope.EVERYWHERE));
        assertEquals("system 'storage-fra1' has no label 'rack'", error.getMessage());
    }

    @Test
    void aMalformedSelectorSaysWhere() {
        SystemAddCommand add = new SystemAddCommand();
        add.slug = "dc-fra1";
        add.selector = "kind=host,,dc=fra1";

        InvalidRequestException error = assertThrows(InvalidRequestException.class, add::draft);
        assertTrue(error.getMessage().startsWith("invalid selector 'kind=host,,dc=fra1' at position 11"),
                error.getMessage());
    }

    @Test
    void aLabelIsKeyEqualsValueAndTheValueMayBeEmpty() {
        assertEquals(Map.entry("dc", "fra1"), SystemDraftCommand.label("dc=fra1"));
        assertEquals(Map.entry("url", "a=b"), SystemDraftCommand.label("url=a=b"));
        assertEquals(Map.entry("retired", ""), SystemDraftCommand.label("retired="));
    }

    @Test
    void aLabelWithoutEqualsIsRefused() {
        InvalidRequestException error = assertThrows(InvalidRequestException.class,
                () -> SystemDraftCommand.label("fra1"));
        assertEquals("label 'fra1' must be key=value", error.getMessage());
    }

    @Test
    void aLinkIsTitleUrlAndAnOptionalKind() {
        assertEquals(new Link("Grafana", URI.create("https://grafana.example/d/1"), "dashboard"),
                SystemDraftCommand.link("Grafana | https://grafana.example/d/1 | dashboard"));
        assertEquals(new Link("Team", URI.create("mailto:storage@example.org"), "link"),
                SystemDraftCommand.link("Team|mailto:storage@example.org"));
    }

    @Test
    void aLinkWithTooFewOrTooManyPartsIsRefusedSayingTheForm() {
        for (String text : List.of("https://grafana.example", "a|https://b.example|c|d")) {
            InvalidRequestException error = assertThrows(InvalidRequestException.class,
                    () -> SystemDraftCommand.link(text));
            assertEquals("link '" + text + "' must be title|url or title|url|kind", error.getMessage());
        }
    }

    @Test
    void aLinkWithAMalformedUrlIsRefusedNamingIt() {
        InvalidRequestException error = assertThrows(InvalidRequestException.class,
                () -> SystemDraftCommand.link("Grafana|https://grafana example/"));
        assertTrue(error.getMessage().startsWith("link 'Grafana|https://grafana example/' has a malformed url"),
                error.getMessage());
    }

    @Test
    void aLinkWithARelativeUrlIsRefusedByTheModel() {
        InvalidRequestException error = assertThrows(InvalidRequestException.class,
                () -> SystemDraftCommand.link("Grafana|/d/ceph"));
        assertEquals("link 'Grafana' needs an absolute http, https or mailto url, not '/d/ceph'", error.getMessage());
    }
}
