package io.hanse.kernel.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * CPU time from Linux's /proc, in clock ticks: what each process a benchmark runs took of the
 * machine's cores, and what everything else on the machine took meanwhile, which makes a level
 * slower without being part of what it measures.
 */
final class Cpu {

    /** Clock ticks a second, as /proc counts them ({@code getconf CLK_TCK}). */
    static final long TICKS = 100;

    private Cpu() {
    }

    /** User and system CPU time of a process and all its descendants so far. */
    static long tree(long pid) {
        return ProcessHandle.of(pid).map(root -> Stream.concat(Stream.of(root), root.descendants())
                .mapToLong(process -> process(process.pid())).sum()).orElse(0L);
    }

    /** CPU time of this process, the load generator, so far. */
    static long self() {
        return tree(ProcessHandle.current().pid());
    }

    /** CPU time so far of a process that runs this command (its name in /proc/pid/stat); empty for any other. */
    static OptionalLong process(long pid, String command) {
        return stat(pid).filter(stat -> stat.startsWith(pid + " (" + command + ") "))
                .map(stat -> OptionalLong.of(ticks(stat))).orElse(OptionalLong.empty());
    }

    /** All CPUs' busy time so far (user, nice, system, irq, softirq, steal), from /proc/stat. */
    static long machineBusy() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(cpu[field]);
            }
            return busy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Cores used by {@code ticks} over {@code seconds}. */
    static double cores(long ticks, double seconds) {
        return ticks / (TICKS * seconds);
    }

    /** CPU time of a process so far; 0 for a process that has gone. */
    private static long process(long pid) {
        return stat(pid).map(Cpu::ticks).orElse(0L);
    }

    /** Fields 14 and 15 of /proc/pid/stat: user and system time. */
    private static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The line of /proc/pid/stat; empty for a process that has gone. */
    private static Optional<String> stat(long pid) {
        try {
            return Optional.of(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
