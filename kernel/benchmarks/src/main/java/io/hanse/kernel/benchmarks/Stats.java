package io.hanse.kernel.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Percentiles of timed samples, and the table every benchmark prints: each measure beside the
 * baseline measured in the same run, their ratio (measure / baseline), the target and the verdict.
 */
public final class Stats {

    /** The median and the 99th percentile of some timings, in milliseconds. */
    public record Timing(double median, double p99, int samples) {

        @Override
        public String toString() {
            return ms(median) + " (p99 " + ms(p99) + ", n=" + samples + ")";
        }
    }

    private final String title;
    private final List<String[]> rows = new ArrayList<>();

    public Stats(String title) {
        this.title = title;
    }

    /** Returns the median and 99th percentile of timings given in nanoseconds. */
    public static Timing timing(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Timing(percentile(sorted, 50) / 1e6, percentile(sorted, 99) / 1e6, sorted.length);
    }

    /** Nearest-rank percentile of sorted values. */
    private static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public static String ms(double millis) {
        return String.format(Locale.ROOT, millis < 0.1 ? "%.4f ms" : millis < 10 ? "%.3f ms" : "%.1f ms", millis);
    }

    public static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f ev/s", perSecond);
    }

    /**
     * Adds a timed measure; it passes when its median is under the target.
     *
     * @param targetMs the target median, or {@code 0} for a measure without one
     */
    public void time(String measure, Timing timing, String baseline, Timing base, double targetMs) {
        add(measure, timing.toString(), baseline, base.toString(), timing.median() / base.median(),
                targetMs > 0 ? "median < " + ms(targetMs) : "-",
                targetMs > 0 ? (timing.median() < targetMs ? "PASS" : "FAIL") : "-");
    }

    /**
     * Adds a throughput measure; it passes when it reaches the target.
     *
     * @param target the least rate wanted, or {@code 0} for a measure without one
     */
    public void rate(String measure, double perSecond, String baseline, double basePerSecond, double target) {
        add(measure, rate(perSecond), baseline, rate(basePerSecond), perSecond / basePerSecond,
                target > 0 ? ">= " + rate(target) : "-", target > 0 ? (perSecond >= target ? "PASS" : "FAIL") : "-");
    }

    private void add(String measure, String value, String baseline, String baseValue, double ratio, String target,
            String verdict) {
        rows.add(new String[] {measure, value, baseline, baseValue,
            String.format(Locale.ROOT, ratio < 0.01 ? "%.5fx" : "%.3fx", ratio), target, verdict});
    }

    /** Prints the table, columns padded to their widest cell. */
    public void print() {
        String[] header = {"measure", "result: median (p99) or rate", "baseline", "baseline result",
            "ratio", "target", "verdict"};
        List<String[]> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] widths = new int[header.length];
        for (String[] row : all) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        System.out.println();
        System.out.println("== " + title + " (ratio = result / baseline)");
        for (int r = 0; r < all.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < header.length; i++) {
                line.append(i == 0 ? "" : " | ").append(String.format("%-" + widths[i] + "s", all.get(r)[i]));
            }
            System.out.println(line.toString().stripTrailing());
            if (r == 0) {
                System.out.println("-".repeat(line.length()));
            }
        }
        System.out.println();
    }
}
