package io.hanse.monitoring.internal;

/**
 * Flap detection as Icinga 2 and Nagios do it: of the last 20 results, which changed the status.
 * Recent changes weigh more (from 0.8 for the oldest to 1.2 for the newest). A check starts
 * flapping when the weighted share of changes rises above the high threshold, and stops only when
 * it falls below the low one, so it does not flap in and out of flapping.
 *
 * @param changes one bit per recent result, the newest lowest: whether it changed the status
 * @param results how many results the bits hold, up to {@value #WINDOW}
 * @param flapping whether the check is flapping
 */
public record Flapping(int changes, int results, boolean flapping) {

    /** How many results the detection looks back over. */
    public static final int WINDOW = 20;
    public static final Flapping NONE = new Flapping(0, 0, false);

    /** Returns the weighted share of changes among the recent results, in percent. */
    public double percent() {
        double weighted = 0;
        for (int age = 0; age < results; age++) {
            if ((changes & (1 << age)) != 0) {
                weighted += 1.2 - 0.4 * age / (WINDOW - 1);
            }
        }
        return results == 0 ? 0 : 100 * weighted / WINDOW;
    }

    /** Returns the detection after one more result, which changed the status or not. */
    public Flapping next(boolean changed, double low, double high) {
        Flapping shifted = new Flapping(((changes << 1) | (changed ? 1 : 0)) & ((1 << WINDOW) - 1),
                Math.min(results + 1, WINDOW), flapping);
        double percent = shifted.percent();
        boolean nowFlapping = flapping ? percent >= low : percent > high;
        return new Flapping(shifted.changes, shifted.results, nowFlapping);
    }
}
