package io.hanse.agent.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the configuration writes them: {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d} or plain seconds. */
public final class Durations {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})([smhd]?)");

    private Durations() {
    }

    /** Returns the duration {@code text} stands for, or nothing when it is not one. */
    public static Optional<Duration> parse(String text) {
        Matcher matcher = FORMAT.matcher(text.trim());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(matcher.group(1));
        switch (matcher.group(2)) {
            case "m":
                return Optional.of(Duration.ofMinutes(amount));
            case "h":
                return Optional.of(Duration.ofHours(amount));
            case "d":
                return Optional.of(Duration.ofDays(amount));
            default:
                return Optional.of(Duration.ofSeconds(amount));
        }
    }

    /** Returns the duration the way people say it: {@code 10 s}, {@code 250 ms}, {@code 5 min}. */
    public static String format(Duration duration) {
        if (duration.toMillis() < 1000) {
            return duration.toMillis() + " ms";
        }
        long seconds = duration.toSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + " h";
        }
        return seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
    }
}
