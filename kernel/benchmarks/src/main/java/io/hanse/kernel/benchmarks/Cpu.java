package io.hanse.kernel.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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

    /** CPU time of all PostgreSQL server processes so far. */
    static long postgres() {
        return ProcessHandle.allProcesses().filter(process -> process.info().command()
                .map(command -> command.endsWith("/postgres")).orElse(false))
                .mapToLong(process -> process(process.pid())).sum();
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

    /** Fields 14 and 15 of /proc/pid/stat; 0 for a process that has gone. */
    private static long process(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (NoSuchFileException gone) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
