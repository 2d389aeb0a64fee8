package io.hanse.api.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorTest {

    private static final Map<String, String> STORAGE_FRA1 = Map.of("kind", "storage", "dc", "fra1");
    private static final Map<String, String> STORAGE_AMS2 = Map.of("kind", "storage", "dc", "ams2");
    private static final Map<String, String> NO_LABELS = Map.of();

    private static boolean matches(String selector, Map<String, String> labels) {
        return Selector.parse(selector).matches(labels);
    }

    private static String error(String selector) {
        return assertThrows(InvalidRequestException.class, () -> Selector.parse(selector)).getMessage();
    }

    // --- matching ---

    @Test
    void equalsMatchesOnlyTheSameValue() {
        assertTrue(matches("dc=fra1", STORAGE_FRA1));
        assertFalse(matches("dc=fra1", STORAGE_AMS2));
        assertFalse(matches("dc=fra1", NO_LABELS));
    }

    @Test
    void doubleEqualsIsTheSameAsEquals() {
        assertTrue(matches("dc==fra1", STORAGE_FRA1));
        assertFalse(matches("dc==fra1", STORAGE_AMS2));
        assertEquals(Selector.parse("dc=fra1"), Selector.parse("dc==fra1"));
        assertEquals("dc=fra1", Selector.parse("dc==fra1").toString());
    }

    @Test
    void notEqualsMatchesOtherValuesAndMissingLabels() {
        assertFalse(matches("dc!=fra1", STORAGE_FRA1));
        assertTrue(matches("dc!=fra1", STORAGE_AMS2));
        assertTrue(matches("dc!=fra1", NO_LABELS));
    }

    @Test
    void inMatchesAnyListedValueButNotAMissingLabel() {
        assertTrue(matches("dc in (fra1,ams2)", STORAGE_FRA1));
        assertTrue(matches("dc in (fra1,ams2)", STORAGE_AMS2));
        assertFalse(matches("dc in (fra1,ams2)", Map.of("dc", "nyc3")));
        assertFalse(matches("dc in (fra1,ams2)", NO_LABELS));
    }

    @Test
    void notinMatchesUnlistedValuesAndMissingLabels() {
        assertFalse(matches("dc notin (fra1,ams2)", STORAGE_FRA1));
        assertFalse(matches("dc notin (fra1,ams2)", STORAGE_AMS2));
        assertTrue(matches("dc notin (fra1,ams2)", Map.of("dc", "nyc3")));
        assertTrue(matches("dc notin (fra1,ams2)", NO_LABELS));
    }

    @Test
    void bareKeyMatchesWhenTheLabelExistsWhateverItsValue() {
        assertTrue(matches("dc", STORAGE_FRA1));
        assertTrue(matches("dc", Map.of("dc", "")));
        assertFalse(matches("dc", Map.of("kind", "storage")));
    }

    @Test
    void negatedKeyMatchesWhenTheLabelIsMissing() {
        assertFalse(matches("!dc", STORAGE_FRA1));
        assertFalse(matches("!dc", Map.of("dc", "")));
        assertTrue(matches("!dc", Map.of("kind", "storage")));
        assertTrue(matches("!dc", NO_LABELS));
    }

    @Test
    void commaRequiresEveryRequirement() {
        Selector selector = Selector.parse("kind=storage,dc=fra1,!retired");

        assertTrue(selector.matches(STORAGE_FRA1));
        assertFalse(selector.matches(STORAGE_AMS2));
        assertFalse(selector.matches(Map.of("kind", "storage", "dc", "fra1", "retired", "yes")));
        assertFalse(selector.matches(Map.of("dc", "fra1")));
    }

    @Test
    void valuesMayHoldDotsDashesSlashesAndColons() {
        assertTrue(matches("app.kubernetes.io/name=db-1:v2_a", Map.of("app.kubernetes.io/name", "db-1:v2_a")));
    }

    @Test
    void matchingIsCaseSensitive() {
        assertFalse(matches("dc=FRA1", STORAGE_FRA1));
        assertFalse(matches("DC=fra1", STORAGE_FRA1));
    }

    // --- whitespace ---

    @Test
    void spacesAroundOperatorsSetsAndCommasAreIgnored() {
        assertEquals(Selector.parse("dc in (a,b)"), Selector.parse("dc in ( a , b )"));
        assertEquals(Selector.parse("dc in (a,b)"), Selector.parse("dc in(a,b)"));
        assertEquals(Selector.parse("kind=storage,dc!=fra1"), Selector.parse("  kind = storage ,  dc != fra1  "));
        assertEquals(Selector.parse("!retired,dc"), Selector.parse(" ! retired , dc "));
        assertTrue(matches("dc in ( a , b )", Map.of("dc", "b")));
    }

    // --- canonical form and equality ---

    @Test
    void requirementsAreSortedSoOrderDoesNotMatter() {
        Selector one = Selector.parse("b=2,a=1");
        Selector other = Selector.parse("a=1,b=2");

        assertEquals(other, one);
        assertEquals(other.hashCode(), one.hashCode());
        assertEquals("a=1,b=2", one.toString());
    }

    @Test
    void canonicalFormSortsSetValuesAndKeepsSpacesOnlyAroundSets() {
        assertEquals("dc in (a,b,c)", Selector.parse("dc in ( c , a ,b )").toString());
        assertEquals("dc notin (x,y)", Selector.parse("dc notin (y,x)").toString());
        assertEquals("!retired,dc!=fra1,kind=storage",
                Selector.parse("kind = storage, dc != fra1, !retired").toString());
        assertEquals("dc", Selector.parse(" dc ").toString());
    }

    @Test
    void canonicalFormParsesBackToAnEqualSelector() {
        Selector selector = Selector.parse("zone notin (b,a), kind==storage, !retired, dc in (fra1 , ams2), tier");

        Selector reparsed = Selector.parse(selector.toString());

        assertEquals(selector, reparsed);
        assertEquals(selector.toString(), reparsed.toString());
        assertEquals("!retired,dc in (ams2,fra1),kind=storage,tier,zone notin (a,b)", selector.toString());
    }

    @Test
    void duplicateRequirementsAndValuesCollapse() {
        assertEquals("a=1", Selector.parse("a=1,a==1").toString());
        assertEquals("a in (x,y)", Selector.parse("a in (x,y,x)").toString());
    }

    @Test
    void differentSelectorsAreNotEqual() {
        assertNotEquals(Selector.parse("a=1"), Selector.parse("a!=1"));
        assertNotEquals(Selector.parse("a in (1,2)"), Selector.parse("a notin (1,2)"));
        assertNotEquals(Selector.parse("a"), Selector.parse("!a"));
        assertNotEquals(Selector.parse("a=1"), Selector.parse("a=1,b=2"));
    }

    // --- errors ---

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            kind=          | 6  | expected a value but found the end
            kind=storage,  | 14 | expected a label key but found the end
            dc in (a,b     | 11 | expected ')' but found the end
            =x             | 1  | expected a label key but found '='
            a b            | 3  | expected '=', '!=', 'in', 'notin', ',' or the end but found 'b'
            ",a"           | 1  | expected a label key but found ','
            a!b            | 3  | expected '=' but found 'b'
            !              | 2  | expected a label key but found the end
            dc in a        | 7  | expected '(' but found 'a'
            dc in ()       | 8  | expected a value but found ')'
            a=1 b=2        | 5  | expected ',' or the end but found 'b'
            a=x*y          | 4  | expected ',' or the end but found '*'
            a (b)          | 3  | expected '=', '!=', 'in', 'notin', ',' or the end but found '('
            """)
    void malformedSelectorsNameThePositionAndWhatWasExpected(String text, int position, String expected) {
        assertEquals("invalid selector '" + text + "' at position " + position + ": " + expected, error(text));
    }

    @Test
    void emptyOrBlankSelectorIsRefused() {
        assertEquals("selector is empty", error(""));
        assertEquals("selector is empty", error("   "));
        assertEquals("selector is empty", error(null));
    }

    @Test
    void selectorOfAThousandCharactersIsTheLongestAccepted() {
        String thousand = "a=1," + "k=v,".repeat(248) + "b=22";
        assertEquals(1_000, thousand.length());

        assertEquals("a=1,b=22,k=v", Selector.parse(thousand).toString());
        assertEquals("selector is longer than 1000 characters", error(thousand + "2"));
    }

    @Test
    void aSelectorLongerThanAThousandCharactersAsHanseWritesItIsRefused() {
        String values = "0123456789abcdefghijklmno";
        List<String> requirements = new ArrayList<>();
        for (char key = 'p'; key <= 't'; key++) {
            for (char value : values.toCharArray()) {
                requirements.add(key + " in(" + value + ")");
            }
        }
        String given = String.join(",", requirements);
        assertEquals(999, given.length());

        assertTrue(error(given).startsWith("selector is longer than 1000 characters when written as Hanse writes it"),
                error(given));
    }

    @Test
    void wordLongerThanSixtyThreeCharactersIsRefusedWithItsPosition() {
        String longValue = "x".repeat(64);

        assertEquals("selector has a word longer than 63 characters at position 6", error("kind=" + longValue));
        assertEquals("a=" + "x".repeat(63), Selector.parse("a=" + "x".repeat(63)).toString());
    }
}
