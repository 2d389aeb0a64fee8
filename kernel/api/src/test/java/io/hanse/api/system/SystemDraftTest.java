package io.hanse.api.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.InvalidRequestException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SystemDraftTest {

    private static String refused(SystemDraft.Builder builder) {
        return assertThrows(InvalidRequestException.class, builder::build).getMessage();
    }

    private static Map<String, String> label(String key, String value) {
        Map<String, String> labels = new HashMap<>();
        labels.put(key, value);
        return labels;
    }

    // --- slug ---

    @ParameterizedTest
    @ValueSource(strings = {"a", "7", "db-1", "storage-fra1", "a--b", "0abc9"})
    void wellFormedSlugsAreAccepted(String slug) {
        assertEquals(slug, SystemDraft.builder(slug).build().slug());
        assertEquals(slug, SystemDraft.slug(slug));
    }

    @Test
    void slugOfSixtyThreeCharactersIsTheLongestAccepted() {
        String slug = "a" + "b".repeat(61) + "c";

        assertEquals(63, slug.length());
        assertEquals(slug, SystemDraft.builder(slug).build().slug());
        assertThrows(InvalidRequestException.class, () -> SystemDraft.builder(slug + "d").build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Storage", "storage-FRA1", "-storage", "storage-", "-", "sto_rage", "sto.rage",
            "sto rage", " storage", "storage/A", "a/b/c", "/storage", "fra/", "ä"})
    void malformedSlugsAreRefusedNamingTheSlug(String slug) {
        assertEquals("slug '" + slug + "' must be 1 to 63 lower-case letters, digits and dashes, starting and "
                + "ending with a letter or digit (a remote system's is peer/slug)", refused(SystemDraft.builder(slug)));
    }

    @Test
    void aSlugLongerThanAnyThatCanExistIsNotRepeatedWholeInTheMessage() {
        assertEquals("slug '" + "a".repeat(128) + "…' (5,000 characters) must be 1 to 63 lower-case letters, digits"
                + " and dashes, starting and ending with a letter or digit (a remote system's is peer/slug)",
                refused(SystemDraft.builder("a".repeat(5_000))));
    }

    @Test
    void aRemoteSystemsSlugNamesItsPeer() {
        assertEquals("fra/storage", SystemDraft.builder("fra/storage").build().slug());
        assertEquals(java.util.Optional.of("fra"), SystemDraft.peer("fra/storage"));
        assertEquals(java.util.Optional.empty(), SystemDraft.peer("storage"));
    }

    @Test
    void missingSlugIsRefused() {
        assertTrue(refused(SystemDraft.builder("")).startsWith("slug '' must be"));
        assertTrue(refused(SystemDraft.builder(null)).startsWith("slug 'null' must be"));
    }

    // --- defaults and plain fields ---

    @Test
    void defaultsAreTheSlugAsNameAndComponentAsKind() {
        SystemDraft draft = SystemDraft.builder("db-1").build();

        assertEquals("db-1", draft.name());
        assertEquals("component", draft.kind());
        assertEquals(Map.of(), draft.labels());
        assertEquals("", draft.description());
        assertEquals(List.of(), draft.owners());
        assertEquals(List.of(), draft.links());
        assertEquals(Rules.NONE, draft.rules());
        assertEquals(List.of(), draft.members());
        assertEquals(Optional.empty(), draft.selector());
    }

    @Test
    void blankNameAndKindAlsoTakeTheDefaults() {
        SystemDraft draft = SystemDraft.builder("db-1").name("  ").kind("").build();

        assertEquals("db-1", draft.name());
        assertEquals("component", draft.kind());
    }

    @Test
    void textsAreStripped() {
        SystemDraft draft = SystemDraft.builder("db-1").name("  Database 1 ").kind(" host ")
                .description("\n primary \n").owners(List.of(" team-storage ")).build();

        assertEquals("Database 1", draft.name());
        assertEquals("host", draft.kind());
        assertEquals("primary", draft.description());
        assertEquals(List.of("team-storage"), draft.owners());
    }

    @Test
    void overlongTextsAreRefusedNamingTheField() {
        assertEquals("name is longer than 200 characters", refused(SystemDraft.builder("a").name("n".repeat(201))));
        assertEquals("kind is longer than 63 characters", refused(SystemDraft.builder("a").kind("k".repeat(64))));
        assertEquals("description is longer than 10000 characters",
                refused(SystemDraft.builder("a").description("d".repeat(10_001))));
        assertEquals("n".repeat(200), SystemDraft.builder("a").name("n".repeat(200)).build().name());
    }

    @Test
    void ownersMustNotBeBlankAndDuplicatesCollapse() {
        assertEquals(List.of("alice", "team-storage"),
                SystemDraft.builder("a").owners(List.of("alice", "team-storage", "alice")).build().owners());
        assertEquals("owners[1] is blank", refused(SystemDraft.builder("a").owners(List.of("alice", " "))));
        assertEquals("owners[1] is longer than 200 characters",
                refused(SystemDraft.builder("a").owners(List.of("alice", "o".repeat(201)))));
        assertEquals("more than 100 owners",
                refused(SystemDraft.builder("a").owners(Collections.nCopies(101, "alice"))));
    }

    @Test
    void ownersCountTheirJsonEscapesAndMayHoldControlCharactersAsBefore() {
        // Each of 200 characters, 60 written in six (\u0001) and one in two (\n): 503 with its quotes.
        List<String> owners = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            owners.add(String.format("%03d", i) + "\u0001".repeat(60) + "\n" + "x".repeat(200 - 3 - 61));
        }

        assertEquals(owners.subList(0, 50), SystemDraft.builder("a").owners(owners.subList(0, 50)).build().owners());
        assertEquals("owners take 50401 characters written as a JSON array; the limit is 30000",
                refused(SystemDraft.builder("a").owners(owners)));
    }

    @Test
    void ownersTakeAtMostThirtyThousandCharactersWrittenAsAJsonArray() {
        // 100 owners of 200 characters, 97 of them quotes that JSON escapes, but one with 96: 30,000 in all.
        List<String> owners = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int quotes = i == 0 ? 96 : 97;
            owners.add(String.format("%03d", i) + "\"".repeat(quotes) + "x".repeat(200 - 3 - quotes));
        }

        assertEquals(owners, SystemDraft.builder("a").owners(owners).build().owners());
        owners.set(0, owners.get(0).replaceFirst("x", "\\\\"));
        assertEquals("owners take 30001 characters written as a JSON array; the limit is 30000",
                refused(SystemDraft.builder("a").owners(owners)));
    }

    @Test
    void aNullInAListIsRefusedNamingTheListAndTheIndex() {
        Link link = new Link("Grafana", URI.create("https://grafana.example"), "dashboard");

        assertEquals("owners[1] is null", refused(SystemDraft.builder("a").owners(Arrays.asList("alice", null))));
        assertEquals("links[1] is null", refused(SystemDraft.builder("a").links(Arrays.asList(link, null))));
        assertEquals("members[0] is null", refused(SystemDraft.builder("a").members(Arrays.asList(null, "b"))));
        assertEquals("mayTouch[0] is null", assertThrows(InvalidRequestException.class,
                () -> new Rules("", Collections.singletonList(null), List.of())).getMessage());
    }

    // --- labels ---

    @ParameterizedTest
    @ValueSource(strings = {"dc", "Env", "app.kubernetes.io/name", "a_b", "a-b", "x", "9"})
    void wellFormedLabelKeysAreAccepted(String key) {
        assertEquals(Map.of(key, "v"), SystemDraft.builder("a").labels(Map.of(key, "v")).build().labels());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-dc", "dc-", ".dc", "dc/", "d c", "dc:zone", "dc=1", "dc,x"})
    void malformedLabelKeysAreRefusedNamingTheKey(String key) {
        assertEquals("label key '" + key + "' must be 1 to 63 letters, digits and . _ - /, starting and ending "
                + "with a letter or digit", refused(SystemDraft.builder("a").labels(Map.of(key, "v"))));
    }

    @Test
    void labelKeyOfSixtyThreeCharactersIsTheLongestAccepted() {
        String key = "k".repeat(63);

        assertEquals(Map.of(key, "v"), SystemDraft.builder("a").labels(Map.of(key, "v")).build().labels());
        assertTrue(refused(SystemDraft.builder("a").labels(Map.of(key + "k", "v"))).startsWith("label key '"));
    }

    @Test
    void nullLabelKeyIsRefused() {
        assertTrue(refused(SystemDraft.builder("a").labels(label(null, "v"))).startsWith("label key 'null' must be"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "fra1", "FRA1", "v1.2.3", "a:b", "a/b", "a_b-c", "-leading-dash-is-fine"})
    void wellFormedLabelValuesAreAccepted(String value) {
        assertEquals(Map.of("k", value), SystemDraft.builder("a").labels(Map.of("k", value)).build().labels());
    }

    @Test
    void malformedLabelValuesAreRefusedNamingKeyAndValue() {
        assertEquals("label 'dc' has value 'fra 1'; values are up to 63 letters, digits and . _ : / -",
                refused(SystemDraft.builder("a").labels(Map.of("dc", "fra 1"))));
        assertEquals("label 'dc' has value 'a,b'; values are up to 63 letters, digits and . _ : / -",
                refused(SystemDraft.builder("a").labels(Map.of("dc", "a,b"))));
        assertEquals("label 'dc' has value 'null'; values are up to 63 letters, digits and . _ : / -",
                refused(SystemDraft.builder("a").labels(label("dc", null))));
        assertTrue(refused(SystemDraft.builder("a").labels(Map.of("dc", "v".repeat(64))))
                .startsWith("label 'dc' has value 'vvv"));
        assertEquals(Map.of("dc", "v".repeat(63)),
                SystemDraft.builder("a").labels(Map.of("dc", "v".repeat(63))).build().labels());
    }

    @Test
    void atMostSixtyFourLabels() {
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < 64; i++) {
            labels.put("k" + i, "v");
        }
        assertEquals(64, SystemDraft.builder("a").labels(labels).build().labels().size());

        labels.put("k64", "v");
        assertEquals("more than 64 labels", refused(SystemDraft.builder("a").labels(labels)));
    }

    @Test
    void labelsCannotBeChangedThroughTheDraftOrTheMapItWasBuiltFrom() {
        Map<String, String> labels = new HashMap<>(Map.of("dc", "fra1"));
        SystemDraft draft = SystemDraft.builder("a").labels(labels).build();

        labels.put("dc", "ams2");

        assertEquals(Map.of("dc", "fra1"), draft.labels());
        assertThrows(UnsupportedOperationException.class, () -> draft.labels().put("x", "y"));
    }

    // --- members and selector ---

    @Test
    void systemListingItselfAsMemberIsRefused() {
        assertEquals("system 'storage' cannot be its own member",
                refused(SystemDraft.builder("storage").members(List.of("db-1", "storage"))));
    }

    @Test
    void memberSlugsAreChecked() {
        assertTrue(refused(SystemDraft.builder("storage").members(List.of("db-1", "DB-2")))
                .startsWith("slug 'DB-2' must be"));
    }

    @Test
    void duplicateMembersCollapseKeepingTheFirstPosition() {
        SystemDraft draft = SystemDraft.builder("storage").members(List.of("db-2", "db-1", "db-2", "db-3")).build();

        assertEquals(List.of("db-2", "db-1", "db-3"), draft.members());
    }

    @Test
    void atMostTenThousandExplicitMembers() {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            members.add("m" + i);
        }

        assertEquals("more than 10000 explicit members; use a selector",
                refused(SystemDraft.builder("storage").members(members)));
        assertEquals(10_000, SystemDraft.builder("storage").members(members.subList(0, 10_000)).build()
                .members().size());
    }

    @Test
    void changingTheBuilderListAfterwardsDoesNotChangeTheDraft() {
        List<String> members = new ArrayList<>(List.of("db-1"));
        SystemDraft.Builder builder = SystemDraft.builder("storage").members(members);
        members.add("db-2");

        assertEquals(List.of("db-1"), builder.build().members());
    }

    @Test
    void selectorMakesADynamicAggregate() {
        SystemDraft draft = SystemDraft.builder("storage").selector(Selector.parse("kind=db")).build();

        assertEquals(Optional.of(Selector.parse("kind=db")), draft.selector());
    }

    // --- links and rules ---

    @Test
    void linksNeedAnAbsoluteHttpHttpsOrMailtoUrl() {
        assertEquals("link", new Link("Grafana", URI.create("https://grafana.example/d/1"), null).kind());
        assertEquals("runbook", new Link("Runbook", URI.create("HTTP://wiki.example/db"), " runbook ").kind());
        new Link("Team", URI.create("mailto:storage@example.org"), "contact");

        assertEquals("link 'Grafana' needs an absolute http, https or mailto url, not '/d/1'",
                assertThrows(InvalidRequestException.class,
                        () -> new Link("Grafana", URI.create("/d/1"), null)).getMessage());
        assertEquals("link 'Files' needs an absolute http, https or mailto url, not 'ftp://files.example'",
                assertThrows(InvalidRequestException.class,
                        () -> new Link("Files", URI.create("ftp://files.example"), null)).getMessage());
        assertEquals("link 'X' needs an absolute http, https or mailto url",
                assertThrows(InvalidRequestException.class, () -> new Link("X", null, null)).getMessage());
        String far = "https://grafana.example/" + "d".repeat(300);
        assertEquals("link '" + "T".repeat(128) + "…' (200 characters) needs an absolute http, https or mailto url,"
                + " not 'ftp" + far.substring(5, 130) + "…' (322 characters)",
                assertThrows(InvalidRequestException.class,
                        () -> new Link("T".repeat(200), URI.create("ftp" + far.substring(5)), null)).getMessage());
        assertEquals("link title is required", assertThrows(InvalidRequestException.class,
                () -> new Link(" ", URI.create("https://a.example"), null)).getMessage());
    }

    @Test
    void atMostOneHundredLinks() {
        Link link = new Link("Grafana", URI.create("https://grafana.example"), "dashboard");

        assertEquals(100, SystemDraft.builder("a").links(Collections.nCopies(100, link)).build().links().size());
        assertEquals("more than 100 links", refused(SystemDraft.builder("a").links(Collections.nCopies(101, link))));
    }

    @Test
    void rulesStripTheirTextAndCheckTheirLists() {
        Rules rules = new Rules("  never restart during business hours ", List.of("team-storage", "team-storage"),
                List.of("alice", "bob"));

        assertEquals("never restart during business hours", rules.text());
        assertEquals(List.of("team-storage"), rules.mayTouch());
        assertEquals(new Rules("", List.of(), List.of()), new Rules(null, null, null));
        assertEquals("escalateTo[0] is blank", assertThrows(InvalidRequestException.class,
                () -> new Rules("", List.of(), List.of(""))).getMessage());
    }

    // --- equality ---

    @Test
    void draftsWithTheSameFieldsAreEqual() {
        SystemDraft one = SystemDraft.builder("db-1").kind("host").labels(Map.of("dc", "fra1"))
                .members(List.of("disk-1")).selector(Selector.parse("b=2,a=1")).build();
        SystemDraft other = SystemDraft.builder("db-1").kind("host").labels(Map.of("dc", "fra1"))
                .members(List.of("disk-1")).selector(Selector.parse("a=1,b=2")).build();

        assertEquals(one, other);
        assertEquals(one.hashCode(), other.hashCode());
        assertNotEquals(one, SystemDraft.builder("db-1").kind("host").build());
        assertNotEquals(one, SystemDraft.builder("db-1").kind("host").labels(Map.of("dc", "fra1"))
                .members(List.of("disk-1")).selector(Selector.parse("a=1")).build());
    }
}
