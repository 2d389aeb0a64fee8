package io.hanse.agent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerfdataTest {

    @Test
    void readsCheckLoad() {
        Perfdata perfdata = Perfdata.parse("load1=0.010;5.000;10.000;0; load5=0.050;4.000;8.000;0; "
                + "load15=0.010;3.000;6.000;0;");
        assertNull(perfdata.error());
        assertEquals(List.of(
                new Metric("load1", new BigDecimal("0.010"), "", "5.000", "10.000", "0", null),
                new Metric("load5", new BigDecimal("0.050"), "", "4.000", "8.000", "0", null),
                new Metric("load15", new BigDecimal("0.010"), "", "3.000", "6.000", "0", null)), perfdata.metrics());
    }

    @Test
    void readsUnitsOfCheckHttpAndCheckPing() {
        Perfdata http = Perfdata.parse("time=0.059596s;;;0.000000;10.000000 size=10975B;;;0");
        assertEquals(new Metric("time", new BigDecimal("0.059596"), "s", null, null, "0.000000", "10.000000"),
                http.metrics().get(0));
        assertEquals(new Metric("size", new BigDecimal("10975"), "B", null, null, "0", null), http.metrics().get(1));
        Perfdata ping = Perfdata.parse("rta=0.800000ms;3000.000000;5000.000000;0.000000 pl=0%;80;100;0");
        assertEquals("ms", ping.metrics().get(0).unit());
        assertEquals(new Metric("pl", BigDecimal.ZERO, "%", "80", "100", "0", null), ping.metrics().get(1));
        assertNull(ping.error());
    }

    @Test
    void readsCheckDiskWithSlashesAndCounters() {
        Perfdata perfdata = Perfdata.parse("/=2643MB;5948;5958;0;5968 /boot=68MB;88;93;0;98 packets=123456c");
        assertEquals(List.of("/", "/boot", "packets"), perfdata.metrics().stream().map(Metric::label).toList());
        assertEquals("5968", perfdata.metrics().get(0).max());
        assertEquals("c", perfdata.metrics().get(2).unit());
    }

    @Test
    void readsQuotedLabelsWithBlanksAndQuotes() {
        Perfdata perfdata = Perfdata.parse("'C:\\ Used Space'=10.5GB;12;14;0;20 'it''s here'=1");
        assertNull(perfdata.error());
        assertEquals(new Metric("C:\\ Used Space", new BigDecimal("10.5"), "GB", "12", "14", "0", "20"),
                perfdata.metrics().get(0));
        assertEquals("it's here", perfdata.metrics().get(1).label());
    }

    @Test
    void readsUnknownValuesAsNull() {
        Perfdata perfdata = Perfdata.parse("'temp'=U;;;; fan=U");
        assertNull(perfdata.error());
        assertEquals(new Metric("temp", null, "", null, null, null, null), perfdata.metrics().get(0));
        assertNull(perfdata.metrics().get(1).value());
    }

    @Test
    void readsRangesNegativeNumbersAndExponents() {
        Perfdata perfdata = Perfdata.parse("offset=-0.000123s;~:0.5;@-1:1 big=1.5e3 comma=0,5");
        assertNull(perfdata.error());
        assertEquals(new Metric("offset", new BigDecimal("-0.000123"), "s", "~:0.5", "@-1:1", null, null),
                perfdata.metrics().get(0));
        assertEquals(0, new BigDecimal("1500").compareTo(perfdata.metrics().get(1).value()));
        assertEquals(0, new BigDecimal("0.5").compareTo(perfdata.metrics().get(2).value()));
    }

    @Test
    void keepsWhatParsedAndNamesEveryUnreadableItemWithWhy() {
        String text = "load1=abc;5;10 good=1 junk =5 x=1;2;3;4;5;6 huge=1e400 'a b'c=1 fine=U";
        Perfdata perfdata = Perfdata.parse(text);
        assertEquals(List.of("good", "fine"), perfdata.metrics().stream().map(Metric::label).toList());
        assertEquals("cannot read \"load1=abc;5;10\" (the value is no number or U), \"junk\" (no = after the label),"
                + " \"=5\" (the label is empty), \"x=1;2;3;4;5;6\" (more than five fields),"
                + " \"huge=1e400\" (the value is past what a double holds) and 1 more; perfdata: " + text,
                perfdata.error());
    }

    @Test
    void namesTheFirstUnreadableItemsCutShortAndCountsTheRest() {
        String label = "x".repeat(Perfdata.MAX_ITEM_BYTES);
        String text = "ok=1 " + label + "=? b=? c=? d=? e=? f=? g=? " + "y".repeat(Perfdata.MAX_RAW_BYTES);
        String error = Perfdata.parse(text).error();
        String named = error.substring(0, error.indexOf("; perfdata: "));
        assertEquals("cannot read \"" + label + "…\" (the value is no number or U), \"b=?\" (the value is no number"
                + " or U), \"c=?\" (the value is no number or U), \"d=?\" (the value is no number or U), \"e=?\" (the"
                + " value is no number or U) and 3 more", named);
    }

    @Test
    void aValueFollowedByDigitsSignsOrSeparatorsIsNoNumberWithAUnit() {
        for (String token : List.of("v=5.0.1", "v=1,234.5", "v=1.234,5", "v=10-20", "v=3+4")) {
            Perfdata perfdata = Perfdata.parse(token);
            assertEquals(List.of(), perfdata.metrics(), token);
            assertTrue(perfdata.error().startsWith("cannot read \"" + token + "\""), perfdata.error());
        }
        assertEquals(new Metric("t", new BigDecimal("21.5"), "°C", null, null, null, null),
                Perfdata.parse("t=21.5°C").metrics().get(0));
    }

    @Test
    void aValuePastWhatADoubleHoldsIsUnreadableNotAFailedRun() {
        Perfdata perfdata = Perfdata.parse("huge=1e9999999999 big=1e400 fine=1e300");
        assertEquals(List.of("fine"), perfdata.metrics().stream().map(Metric::label).toList());
        assertEquals("cannot read \"huge=1e9999999999\" (the value is past what a double holds), \"big=1e400\" (the"
                + " value is past what a double holds); perfdata: huge=1e9999999999 big=1e400 fine=1e300",
                perfdata.error());
    }

    @Test
    void theLastItemStartsAfterTheLastBlankOutsideAQuotedLabel() {
        assertEquals(7, Perfdata.lastItemStart("free=5 'disk usage'=12"));
        assertEquals(7, Perfdata.lastItemStart("free=5 'it''s here'=1"));
        assertEquals(0, Perfdata.lastItemStart("free=5"));
    }

    @Test
    void emptyFieldsPastTheFifthAreIgnored() {
        Perfdata perfdata = Perfdata.parse("x=5;1;2;0;10;; y=1;;;;;");
        assertNull(perfdata.error());
        assertEquals(new Metric("x", new BigDecimal("5"), "", "1", "2", "0", "10"), perfdata.metrics().get(0));
        assertEquals(2, perfdata.metrics().size());
    }

    @Test
    void unreadablePerfdataIsKeptCutBetweenCharactersNeverInsideOne() {
        // The emoji's two UTF-16 halves straddle the limit; sent alone, the first would be refused by the server.
        String text = "bad " + "x".repeat(Perfdata.MAX_RAW_BYTES - 5) + "\uD83D\uDE00 more";
        String error = Perfdata.parse(text).error();
        String kept = error.substring(error.indexOf("perfdata: ") + "perfdata: ".length());
        assertEquals("bad " + "x".repeat(Perfdata.MAX_RAW_BYTES - 5) + "…", kept);
    }

    @Test
    void reportsAnUnclosedQuote() {
        Perfdata perfdata = Perfdata.parse("a=1 'broken=5 b=2");
        assertEquals(1, perfdata.metrics().size());
        assertEquals("cannot read \"'broken=5 b=2\" (a quoted label is not closed); perfdata: a=1 'broken=5 b=2",
                perfdata.error());
    }

    @Test
    void keepsAtMostTheMetricLimit() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Perfdata.MAX_METRICS + 50; i++) {
            text.append("m").append(i).append("=1 ");
        }
        Perfdata perfdata = Perfdata.parse("bad " + text);
        assertEquals(Perfdata.MAX_METRICS, perfdata.metrics().size());
        assertTrue(perfdata.error().startsWith("cannot read \"bad\" (no = after the label); more than "
                + Perfdata.MAX_METRICS + " metrics; the rest are left out; perfdata: bad m0=1 "), perfdata.error());
    }

    @Test
    void emptyPerfdataIsNoMetricsAndNoError() {
        assertEquals(new Perfdata(List.of(), null), Perfdata.parse("  "));
    }
}
