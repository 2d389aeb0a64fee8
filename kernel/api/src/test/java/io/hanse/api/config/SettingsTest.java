package io.hanse.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    /** A component property type as a component declares one. */
    @interface Limits {
        int size() default 100;

        int ttl() default 90;

        double share() default 0.5;

        String keep() default "P1D";

        String name() default "all";
    }

    @Test
    void valuesAllowedAreUsedAsTheyAre() {
        Settings<Limits> settings = Settings.of("test.good", Limits.class,
                limits(Map.of("size", 10, "share", 1.0, "keep", "PT1H", "name", "some")));

        assertEquals(10, settings.whole("size", 10, 1000));
        assertEquals(1.0, settings.decimal("share", 0, 1));
        assertEquals(Duration.ofHours(1), settings.parsed("keep", Duration::parse));
        assertEquals(List.of(), problems("test.good"));
    }

    @Test
    void aValueOutOfRangeIsLoggedAndGivesWayToItsDefault() {
        Settings<Limits> settings = Settings.of("test.range", Limits.class,
                limits(Map.of("size", 5, "share", 1.5, "ttl", 90)));

        assertEquals(100, settings.whole("size", 10, 1000));
        assertEquals(0.5, settings.decimal("share", 0, 1));
        assertEquals(List.of("etc/test.range.cfg: share = 1.5 is above 1.0; using 0.5",
                "etc/test.range.cfg: size = 5 is below 10; using 100"), problems("test.range"));
    }

    @Test
    void aValueThatCannotBeReadIsLoggedWithWhatIsKnownOfItAndGivesWayToItsDefault() {
        Settings<Limits> settings = Settings.of("test.unreadable", Limits.class,
                limits(Map.of("size", new NumberFormatException("For input string: \"1MB\""))));

        assertEquals(100, settings.whole("size", 10, 1000));
        assertEquals(List.of("etc/test.unreadable.cfg: size cannot be read as a whole number"
                + " (For input string: \"1MB\"); using 100"), problems("test.unreadable"));
    }

    @Test
    void aTextItsParserRefusesIsLoggedWithTheParsersReasonAndGivesWayToItsDefault() {
        Settings<Limits> settings = Settings.of("test.text", Limits.class, limits(Map.of("keep", "30 days")));

        assertEquals(Duration.ofDays(1), settings.parsed("keep", SettingsTest::duration));
        assertEquals(List.of("etc/test.text.cfg: keep = \"30 days\": keep must be an ISO-8601 duration such as P30D;"
                + " using \"P1D\""), problems("test.text"));
    }

    @Test
    void aValueThatMayHoldASecretIsLoggedAsItIsToBeShown() {
        Settings<Limits> settings = Settings.of("test.shown", Limits.class,
                limits(Map.of("name", "https://admin:s3cret@example.org")));

        assertEquals("all", settings.parsed("name", SettingsTest::plainName, name -> name.replaceAll("//.*@", "//…@")));
        assertEquals(List.of("etc/test.shown.cfg: name = \"https://…@example.org\": no user information;"
                + " using \"all\""), problems("test.shown"));
    }

    private static String plainName(String name) {
        if (name.contains("@")) {
            throw new IllegalArgumentException("no user information");
        }
        return name;
    }

    @Test
    void theProblemsOfAConfigurationAreForgottenAsItsComponentStops() {
        Settings.of("test.forget", Limits.class, limits(Map.of("size", 5))).whole("size", 10, 1000);
        Settings.of("test.forgetting", Limits.class, limits(Map.of("size", 5))).whole("size", 10, 1000);

        Settings.forget("test.forget");

        assertEquals(List.of(), problems("test.forget"));
        assertEquals(1, problems("test.forgetting").size(), "another configuration's are kept");
    }

    @Test
    void onAChangeABadValueGivesWayToTheValueInUseAndTheProblemEndsOnceItIsCorrected() {
        Settings<Limits> first = Settings.of("test.change", Limits.class, limits(Map.of("size", 500)));
        first.whole("size", 10, 1000);

        Settings<Limits> changed = first.change(limits(Map.of("size", 5)));
        assertEquals(500, changed.whole("size", 10, 1000));
        assertEquals(List.of("etc/test.change.cfg: size = 5 is below 10; using 500"), problems("test.change"));

        Settings<Limits> again = changed.change(limits(Map.of("size", 5)));
        assertEquals(500, again.whole("size", 10, 1000));
        assertEquals(700, again.change(limits(Map.of("size", 700))).whole("size", 10, 1000));
        assertEquals(List.of(), problems("test.change"));
    }

    @Test
    void keysThatBreakARuleTogetherAllGiveWayToTheirFallbacks() {
        Settings<Limits> settings = Settings.of("test.rule", Limits.class, limits(Map.of("size", 200, "ttl", 150)));
        settings.whole("size", 1, 1000);
        settings.whole("ttl", 1, 1000);

        settings.require("ttl must be longer than size", limits -> limits.ttl() > limits.size(), "size", "ttl");

        assertEquals(100, settings.values().size());
        assertEquals(90, settings.values().ttl());
        assertEquals(List.of("etc/test.rule.cfg: size = 200, ttl = 150: ttl must be longer than size;"
                + " using size = 100, ttl = 90"), problems("test.rule"));
        assertThrows(IllegalStateException.class,
                () -> settings.require("share is small", limits -> limits.share() < 1, "share"));
    }

    @Test
    void theValuesInUseAreThoseCheckedAndTheOthersAsGiven() {
        Settings<Limits> settings = Settings.of("test.values", Limits.class,
                limits(Map.of("size", 5, "name", "some")));
        settings.whole("size", 10, 1000);

        Limits values = settings.values();

        assertEquals(100, values.size());
        assertEquals("some", values.name());
        assertEquals(Limits.class, values.annotationType());
    }

    private static List<String> problems(String pid) {
        return Settings.problems().stream().filter(line -> line.startsWith("etc/" + pid + ".cfg:")).toList();
    }

    private static Duration duration(String text) {
        try {
            return Duration.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("keep must be an ISO-8601 duration such as P30D", e);
        }
    }

    /** A configuration as DS makes it: a value it cannot convert is thrown when it is asked for. */
    private static Limits limits(Map<String, Object> values) {
        return (Limits) Proxy.newProxyInstance(Limits.class.getClassLoader(), new Class<?>[] {Limits.class},
                (proxy, method, arguments) -> {
                    Object value = values.getOrDefault(method.getName(), method.getDefaultValue());
                    if (value instanceof RuntimeException failure) {
                        throw failure;
                    }
                    return value;
                });
    }
}
