package io.hanse.api.config;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The values of one component's configuration, each checked as it is read. A value that cannot be
 * read (such as {@code 1MB} for a whole number: DS's proxy throws when it is asked for it) or is not
 * allowed is logged as one ERROR line naming its file, key and value, what is allowed and what is
 * used instead: its key's fallback. So one bad value in {@code etc/} is refused on its own, instead
 * of failing the component and, with it, everything that depends on it.
 * <p>
 * A key's fallback is its default, as the component property type declares it, when the component
 * starts; on a change of its configuration ({@link #change}) it is the value in use until then, so
 * that a bad edit changes nothing. The problems in effect are kept for health to show
 * ({@link #problems()}) until a later reading of the same key finds it good.
 * <p>
 * Read a configuration on one thread, then share {@link #values()}; an instance is not thread-safe.
 * Not for secrets, such as passwords: the values read are logged when they are not allowed; a value
 * that may hold one by mistake, such as a URL, is shown as {@link #parsed(String, Function,
 * UnaryOperator)} is told to. A component forgets its problems as it stops ({@link #forget}).
 *
 * @param <C> the component property type
 */
public final class Settings<C extends Annotation> {

    private static final Logger LOG = LoggerFactory.getLogger(Settings.class);
    /** The problems in effect, by PID and key, in the order of both. */
    private static final Map<String, String> PROBLEMS = new ConcurrentSkipListMap<>();

    private final String pid;
    private final Class<C> type;
    private final C config;
    /** The values in use before a change, by key; a key missing here falls back to its default. */
    private final Map<String, Object> fallbacks;
    /** The values in use, by key, of the keys read so far. */
    private final Map<String, Object> used = new LinkedHashMap<>();

    private Settings(String pid, Class<C> type, C config, Map<String, Object> fallbacks) {
        this.pid = pid;
        this.type = type;
        this.config = config;
        this.fallbacks = fallbacks;
    }

    /**
     * Starts reading a component's configuration as the component starts: a value that is not
     * allowed gives way to its key's default.
     *
     * @param pid the configuration's PID, which names its file {@code etc/<pid>.cfg}
     * @param type the component property type, whose methods' defaults are the fallbacks
     * @param config the configuration as DS gives it to the component
     */
    public static <C extends Annotation> Settings<C> of(String pid, Class<C> type, C config) {
        return new Settings<>(pid, type, config, Map.of());
    }

    /**
     * Starts reading a changed configuration of the same component, as DS gives it to a
     * {@code @Modified} method: a value that is not allowed gives way to the value this reading uses.
     */
    public Settings<C> change(C changed) {
        Map<String, Object> inUse = new HashMap<>(fallbacks);
        inUse.putAll(used);
        return new Settings<>(pid, type, changed, Map.copyOf(inUse));
    }

    /** Returns the whole number of this key, if it is from {@code min} to {@code max}, or else its fallback. */
    public int whole(String key, int min, int max) {
        return read(key, Integer.class, UnaryOperator.identity(), value -> value < min ? "is below " + min
                : value > max ? "is above " + max : null);
    }

    /** Returns the decimal number of this key, if it is from {@code min} to {@code max}, or else its fallback. */
    public double decimal(String key, double min, double max) {
        return read(key, Double.class, UnaryOperator.identity(), value -> value.isNaN() ? "is not a number"
                : value < min ? "is below " + min : value > max ? "is above " + max : null);
    }

    /**
     * Returns the text of this key parsed, if {@code parse} takes it, or else its fallback parsed.
     *
     * @param parse parses a text, throwing an {@link IllegalArgumentException} whose message says what
     *     is wrong with it and what is allowed
     */
    public <T> T parsed(String key, Function<String, T> parse) {
        return parsed(key, parse, UnaryOperator.identity());
    }

    /**
     * As {@link #parsed(String, Function)}, but a value not allowed is logged and listed as {@code shown}
     * writes it: for a value that may hold a secret by mistake, such as a URL with a password in it.
     */
    public <T> T parsed(String key, Function<String, T> parse, UnaryOperator<String> shown) {
        String text = read(key, String.class, shown, value -> {
            try {
                parse.apply(value);
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        });
        return parse.apply(text);
    }

    /**
     * Checks a rule that keys already read must keep together, such as a time-to-live longer than
     * the heartbeat; if their values break it, this is logged and all these keys take their fallbacks,
     * which keep it.
     *
     * @param rule what the rule says, such as {@code "ttlSeconds must be longer than heartbeatSeconds"}
     * @param holds whether the values in use keep the rule
     * @param keys the keys the rule is about
     * @throws IllegalStateException if a key was not read before
     */
    public void require(String rule, Predicate<C> holds, String... keys) {
        for (String key : keys) {
            if (!used.containsKey(key)) {
                throw new IllegalStateException(key + " is not read yet");
            }
        }
        String problemKey = String.join(" ", keys);
        if (holds.test(values())) {
            PROBLEMS.remove(problemKey(problemKey));
            return;
        }
        String given = describe(keys);
        Stream.of(keys).forEach(key -> used.put(key, fallback(key)));
        refuse(problemKey, given + ": " + rule + "; using " + describe(keys));
    }

    /**
     * Returns the configuration with the values in use: those read through this object as they were
     * checked; the other keys as DS gives them.
     */
    public C values() {
        Map<String, Object> values = Map.copyOf(used);
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, arguments) -> {
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    return switch (method.getName()) {
                        case "annotationType" -> type;
                        case "equals" -> proxy == arguments[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "toString" -> type.getSimpleName();
                        default -> invokeUnwrapped(method(method.getName()));
                    };
                }));
    }

    /** Returns the configuration problems in effect, one line each, as they were logged. */
    public static List<String> problems() {
        return List.copyOf(PROBLEMS.values());
    }

    /**
     * Forgets the problems of a configuration, as the component that reads it stops: they are no
     * longer in effect, and the component reads the configuration again if it starts again.
     */
    public static void forget(String pid) {
        PROBLEMS.keySet().removeIf(key -> key.startsWith(pid + " "));
    }

    /**
     * Reads a key, takes its fallback if it cannot be read or {@code problem} finds something wrong
     * with it, and records the value in use.
     *
     * @param show writes a value as the log and health show it
     * @param problem says what is wrong with a value, or {@code null} if nothing is
     */
    private <T> T read(String key, Class<T> valueType, UnaryOperator<T> show, Function<T, String> problem) {
        T fallback = valueType.cast(fallback(key));
        T value;
        try {
            value = valueType.cast(invoke(method(key)));
        } catch (InvocationTargetException e) {
            // Which value it was is only known as far as the message of DS's proxy says.
            refuse(key, key + " cannot be read as " + describe(valueType) + " (" + e.getCause().getMessage()
                    + "); using " + shown(show.apply(fallback)));
            used.put(key, fallback);
            return fallback;
        }
        String wrong = problem.apply(value);
        if (wrong == null) {
            PROBLEMS.remove(problemKey(key));
            used.put(key, value);
            return value;
        }
        refuse(key, key + " = " + shown(show.apply(value)) + (valueType == String.class ? ": " : " ") + wrong
                + "; using " + shown(show.apply(fallback)));
        used.put(key, fallback);
        return fallback;
    }

    private void refuse(String keys, String problem) {
        String line = "etc/" + pid + ".cfg: " + problem;
        PROBLEMS.put(problemKey(keys), line);
        LOG.error(line);
    }

    private String problemKey(String keys) {
        return pid + " " + keys;
    }

    private Object fallback(String key) {
        return fallbacks.containsKey(key) ? fallbacks.get(key) : method(key).getDefaultValue();
    }

    private Method method(String key) {
        try {
            Method method = type.getMethod(key);
            // Component property types are mostly private to their component's package.
            method.setAccessible(true);
            return method;
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(type.getName() + " has no key " + key, e);
        }
    }

    /**
     * Calls the configuration's method.
     *
     * @throws InvocationTargetException with what the method throws, such as DS's proxy for a value it
     *     cannot convert
     */
    private Object invoke(Method method) throws InvocationTargetException {
        try {
            return method.invoke(config);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object invokeUnwrapped(Method method) throws Throwable {
        try {
            return invoke(method);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private String describe(String... keys) {
        return Stream.of(keys).map(key -> key + " = " + shown(used.get(key))).collect(Collectors.joining(", "));
    }

    /** Quotes text, so that an empty one shows, and leaves numbers as they are. */
    private static String shown(Object value) {
        return value instanceof String text ? '"' + text + '"' : String.valueOf(value);
    }

    private static String describe(Class<?> valueType) {
        return valueType == Integer.class ? "a whole number" : valueType == Double.class ? "a decimal number"
                : "text";
    }
}
