package io.hanse.kernel.core.internal.system;

import io.hanse.api.status.Status;
import io.hanse.api.status.StatusContributor;
import io.hanse.api.status.StatusSink;
import io.hanse.api.status.SystemStatus;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.Selector;
import io.hanse.api.system.SystemDraft;
import io.hanse.kernel.benchmarks.Stats;
import io.hanse.kernel.store.StoredSystem;
import io.hanse.kernel.store.SystemStore;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Benchmarks the status roll-up of {@link SystemManager} over 100,000 systems: how long one status
 * change at a leaf takes to reach all its aggregates, and how long reading a rolled-up status with
 * its explanation takes, each beside a baseline measured in the same run.
 * <p>
 * The graph, 6 levels deep (100,000 systems, built through {@link SystemStore#loadAll()}):
 * <pre>
 * L0  root                                1
 * L1  region-R                           10   members of root
 * L2  dc-DD                             100   10 per region
 * L3  svc-SSS                         1,000   10 per datacenter
 * L4  grp-GGGG                       10,000   10 per service
 * L5  leaf-NNNNN                     88,789   explicit member of grp-(N mod 10,000), labelled
 *                                             kind (storage|compute|network|database, at random),
 *                                             tier (gold|silver|bronze, at random), region, dc
 * dyn 100 dynamic aggregates, selecting leaves by label:
 *       kind-K-rR      kind=K,region=rR      40, members of region-R
 *       tier-T-rR      tier=T,region=rR      30, members of region-R
 *       storage-dcDD   kind=storage,dc=dcDD  30 (dc00..dc29), members of dc-DD
 * </pre>
 * Every leaf so has 3 or 4 direct aggregates and 7 or 8 ancestors, reached along several paths.
 * <p>
 * Measures: {@code report()} of a random leaf, alternating critical and ok, against a full
 * recomputation of every rolled-up status (members first, in a topological order computed once and
 * not timed) on a second copy of the same graph — what a roll-up without increments does per change.
 * Then {@code status(slug, 10)} of random critical systems at each level, with 10 and with 1% of the
 * leaves critical, against {@code find(slug)}, a plain snapshot read.
 * <p>
 * Run it with {@code kernel/benchmarks/run.sh status} from the repository root.
 */
public final class StatusBenchmark {

    private static final long SEED = 20_251_122L;
    private static final int TOTAL = 100_000;
    private static final int GROUPS = 10_000;
    private static final String[] KINDS = {"storage", "compute", "network", "database"};
    private static final String[] TIERS = {"gold", "silver", "bronze"};
    private static final String CONTRIBUTOR = "bench";
    /** What the benchmark reports through, as a plugin does. */
    private static StatusSink reporter;
    private static final String ROOT = "root";
    private static final String LEAF = "L5 leaf";
    private static final String DYNAMIC = "dyn aggregate";
    private static final int WARM_UP_REPORTS = 10_000;
    private static final int REPORT_PAIRS = 10_000;
    private static final int RECOMPUTE_PAIRS = 100;
    private static final int READS = 500;

    /** Keeps whatever the timed calls return, so that the JIT cannot drop them. */
    private static long sink;

    private StatusBenchmark() {
    }

    /** The systems as stored, and the slugs of each level to pick from. */
    private record Shape(List<StoredSystem> stored, Map<String, List<String>> levels) {
    }

    /**
     * A store that only loads: a proxy rather than a class, so that changes to the store's other
     * methods, which the benchmark never calls, leave it compiling.
     */
    private static SystemStore memoryStore(List<StoredSystem> systems) {
        return (SystemStore) Proxy.newProxyInstance(SystemStore.class.getClassLoader(),
                new Class<?>[] {SystemStore.class}, (proxy, method, arguments) -> switch (method.getName()) {
                    case "loadAll" -> systems;
                    case "toString" -> "memory store";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    public static void main(String[] args) {
        Random random = new Random(SEED);
        long started = System.nanoTime();
        Shape shape = shape(random);
        SystemManager systems = new SystemManager(memoryStore(shape.stored()));
        systems.addContributor(new StatusContributor() {
            @Override
            public String name() {
                return CONTRIBUTOR;
            }

            @Override
            public void start(StatusSink sink) {
                reporter = sink;
            }

            @Override
            public void stop() {
            }
        });
        List<String> leaves = shape.levels().get(LEAF);
        for (String leaf : leaves) {
            reporter.report(leaf, Status.OK, "ok");
        }
        check(systems.status(ROOT, 1).rolledUp() == Status.OK, "root is not ok after all leaves reported ok");
        System.out.printf("Built %,d systems and reported every leaf ok in %.1f s%n", systems.count(),
                (System.nanoTime() - started) / 1e9);
        FullRecompute full = new FullRecompute(shape.stored(), leaves);
        describe(shape, full);

        Stats stats = new Stats("Status roll-up over " + String.format("%,d", systems.count()) + " systems");
        propagation(systems, full, leaves, random, stats);
        explanation(systems, shape, random, stats);
        stats.print();
        systems.deactivate();
        System.out.println("(sink " + sink + ")");
    }

    // --- the graph ---

    private static Shape shape(Random random) {
        Map<String, List<String>> levels = new LinkedHashMap<>();
        List<SystemDraft> drafts = new ArrayList<>(TOTAL);
        Map<String, List<String>> members = new HashMap<>();
        add(levels, drafts, members, "L0 root", SystemDraft.builder(ROOT).kind("estate"), null);
        for (int r = 0; r < 10; r++) {
            add(levels, drafts, members, "L1 region", SystemDraft.builder("region-" + r).kind("region"), ROOT);
        }
        for (int d = 0; d < 100; d++) {
            add(levels, drafts, members, "L2 datacenter", SystemDraft.builder(dc(d)).kind("datacenter"),
                    "region-" + d / 10);
        }
        for (int s = 0; s < 1_000; s++) {
            add(levels, drafts, members, "L3 service", SystemDraft.builder(String.format("svc-%03d", s))
                    .kind("service"), dc(s / 10));
        }
        for (int g = 0; g < GROUPS; g++) {
            add(levels, drafts, members, "L4 group", SystemDraft.builder(group(g)).kind("group"),
                    String.format("svc-%03d", g / 10));
        }
        for (int r = 0; r < 10; r++) {
            for (String kind : KINDS) {
                add(levels, drafts, members, DYNAMIC, SystemDraft.builder("kind-" + kind + "-r" + r)
                        .selector(Selector.parse("kind=" + kind + ",region=r" + r)), "region-" + r);
            }
            for (String tier : TIERS) {
                add(levels, drafts, members, DYNAMIC, SystemDraft.builder("tier-" + tier + "-r" + r)
                        .selector(Selector.parse("tier=" + tier + ",region=r" + r)), "region-" + r);
            }
        }
        for (int d = 0; d < 30; d++) {
            add(levels, drafts, members, DYNAMIC, SystemDraft.builder(String.format("storage-dc%02d", d))
                    .selector(Selector.parse(String.format("kind=storage,dc=dc%02d", d))), dc(d));
        }
        int leaves = TOTAL - drafts.size();
        for (int i = 0; i < leaves; i++) {
            int g = i % GROUPS;
            add(levels, drafts, members, LEAF, SystemDraft.builder(String.format("leaf-%05d", i)).labels(Map.of(
                    "kind", KINDS[random.nextInt(KINDS.length)], "tier", TIERS[random.nextInt(TIERS.length)],
                    "region", "r" + g / 1_000, "dc", String.format("dc%02d", g / 100))), group(g));
        }
        Map<String, UUID> ids = new HashMap<>();
        for (SystemDraft draft : drafts) {
            ids.put(draft.slug(), new UUID(random.nextLong(), random.nextLong()));
        }
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        List<StoredSystem> stored = new ArrayList<>(drafts.size());
        for (SystemDraft draft : drafts) {
            List<UUID> explicit = members.getOrDefault(draft.slug(), List.of()).stream().map(ids::get).toList();
            stored.add(new StoredSystem(ids.get(draft.slug()), draft, explicit, at, at));
        }
        return new Shape(stored, levels);
    }

    private static void add(Map<String, List<String>> levels, List<SystemDraft> drafts,
            Map<String, List<String>> members, String level, SystemDraft.Builder draft, String aggregate) {
        SystemDraft built = draft.build();
        drafts.add(built);
        levels.computeIfAbsent(level, l -> new ArrayList<>()).add(built.slug());
        if (aggregate != null) {
            members.computeIfAbsent(aggregate, a -> new ArrayList<>()).add(built.slug());
        }
    }

    private static String dc(int d) {
        return String.format("dc-%02d", d);
    }

    private static String group(int g) {
        return String.format("grp-%04d", g);
    }

    /** Prints the shape as the graph built it: systems per level, edges, aggregates per leaf. */
    private static void describe(Shape shape, FullRecompute full) {
        System.out.println("Graph (6 levels; 'dyn' = dynamic aggregates selecting leaves by labels):");
        long edges = 0;
        for (Node node : full.graph.nodes()) {
            edges += full.members.get(node).size();
        }
        shape.levels().forEach((level, slugs) -> {
            long members = slugs.stream().mapToLong(slug -> full.members.get(full.graph.get(slug)).size()).sum();
            System.out.printf("  %-14s %,7d systems, %,8d member edges below them%n", level, slugs.size(), members);
        });
        List<String> leaves = shape.levels().get(LEAF);
        int[] parents = new int[8];
        int[] ancestors = new int[16];
        for (String leaf : leaves) {
            Node node = full.graph.get(leaf);
            parents[node.parents.size()]++;
            ancestors[ancestors(node)]++;
        }
        System.out.printf("  %,d member edges in all; leaves by number of direct aggregates:%s;"
                + " by number of ancestors:%s%n", edges, histogram(parents), histogram(ancestors));
    }

    private static int ancestors(Node node) {
        Set<Node> seen = new HashSet<>();
        ArrayDeque<Node> queue = new ArrayDeque<>(node.parents);
        while (!queue.isEmpty()) {
            Node parent = queue.poll();
            if (seen.add(parent)) {
                queue.addAll(parent.parents);
            }
        }
        return seen.size();
    }

    private static String histogram(int[] counts) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                text.append(String.format(" %d: %,d", i, counts[i]));
            }
        }
        return text.toString();
    }

    // --- measures ---

    /** One leaf at a time turns critical and back; each report() returns once every aggregate knows. */
    private static void propagation(SystemManager systems, FullRecompute full, List<String> leaves, Random random,
            Stats stats) {
        for (int i = 0; i < WARM_UP_REPORTS; i++) {
            String leaf = pick(leaves, random);
            reporter.report(leaf, Status.CRITICAL, "down");
            reporter.report(leaf, Status.OK, "ok");
        }
        long[] reports = new long[2 * REPORT_PAIRS];
        for (int i = 0; i < REPORT_PAIRS; i++) {
            String leaf = pick(leaves, random);
            reports[2 * i] = timeReport(systems, leaf, Status.CRITICAL);
            check(systems.status(ROOT, 1).rolledUp() == Status.CRITICAL, "root did not turn critical");
            reports[2 * i + 1] = timeReport(systems, leaf, Status.OK);
            check(systems.status(ROOT, 1).rolledUp() == Status.OK, "root did not turn ok again");
        }
        for (int i = 0; i < 50; i++) {
            String leaf = pick(leaves, random);
            full.change(leaf, Status.CRITICAL);
            full.change(leaf, Status.OK);
        }
        long[] recomputations = new long[2 * RECOMPUTE_PAIRS];
        for (int i = 0; i < RECOMPUTE_PAIRS; i++) {
            String leaf = pick(leaves, random);
            long start = System.nanoTime();
            Status critical = full.change(leaf, Status.CRITICAL);
            recomputations[2 * i] = System.nanoTime() - start;
            start = System.nanoTime();
            Status ok = full.change(leaf, Status.OK);
            recomputations[2 * i + 1] = System.nanoTime() - start;
            check(critical == Status.CRITICAL && ok == Status.OK, "the full recomputation got the root wrong");
        }
        stats.time("report() leaf critical/ok -> all aggregates", Stats.timing(reports),
                "full recomputation of all", Stats.timing(recomputations), 20);
    }

    private static long timeReport(SystemManager systems, String leaf, Status status) {
        long start = System.nanoTime();
        reporter.report(leaf, status, status.label());
        return System.nanoTime() - start;
    }

    /** Reads explanations of critical systems at each level, with few and with many critical leaves. */
    private static void explanation(SystemManager systems, Shape shape, Random random, Stats stats) {
        List<String> leaves = shape.levels().get(LEAF);
        for (int critical : new int[] {10, leaves.size() / 100}) {
            List<String> shuffled = new ArrayList<>(leaves);
            Collections.shuffle(shuffled, random);
            List<String> down = shuffled.subList(0, critical);
            for (String leaf : down) {
                reporter.report(leaf, Status.CRITICAL, "down");
            }
            SystemStatus root = systems.status(ROOT, 10);
            System.out.printf("With %,d critical leaves, status(root, 10) shows %d of %d causes; the first: %s%n",
                    critical, root.causes().size(), root.causeCount(), String.join(" > ", root.causes().get(0).path()));
            shape.levels().forEach((level, slugs) -> {
                List<String> candidates = slugs.stream()
                        .filter(slug -> systems.status(slug, 1).rolledUp() == Status.CRITICAL).toList();
                long[] statuses = new long[READS];
                long[] finds = new long[READS];
                for (int round = 0; round < 2; round++) { // the first round warms up
                    for (int i = 0; i < READS; i++) {
                        String slug = pick(candidates, random);
                        long start = System.nanoTime();
                        SystemStatus status = systems.status(slug, 10);
                        long middle = System.nanoTime();
                        ManagedSystem found = systems.find(slug).orElseThrow();
                        finds[i] = System.nanoTime() - middle;
                        statuses[i] = middle - start;
                        sink += status.causeCount() + found.members().size();
                    }
                }
                stats.time(String.format("status(slug, 10) %s, %,d crit. leaves (%,d crit. here)", level, critical,
                        candidates.size()), Stats.timing(statuses), "find(slug)", Stats.timing(finds), 5);
            });
            for (String leaf : down) {
                reporter.report(leaf, Status.OK, "ok");
            }
        }
    }

    private static String pick(List<String> slugs, Random random) {
        return slugs.get(random.nextInt(slugs.size()));
    }

    private static void check(boolean condition, String failure) {
        if (!condition) {
            throw new IllegalStateException(failure);
        }
    }

    /**
     * The baseline: a roll-up that recomputes every system after each change, worst of its own status
     * and its members', on its own copy of the graph. The order (members first) is computed once.
     */
    private static final class FullRecompute {

        private final SystemGraph graph = new SystemGraph();
        private final List<Node> order = new ArrayList<>(TOTAL);
        /**
         * Each system's direct members, taken once: the graph files members by status, which this
         * recomputation bypasses by setting statuses directly.
         */
        private final Map<Node, List<Node>> members = new HashMap<>(TOTAL * 2);

        FullRecompute(List<StoredSystem> stored, Collection<String> leaves) {
            graph.load(stored);
            for (String leaf : leaves) {
                graph.get(leaf).own = Status.OK;
            }
            for (Node node : graph.nodes()) {
                members.put(node, node.members().toList());
            }
            Set<Node> visited = new HashSet<>();
            for (Node node : graph.nodes()) {
                visit(node, visited);
            }
            recompute();
        }

        private void visit(Node node, Set<Node> visited) {
            if (visited.add(node)) {
                for (Node member : members.get(node)) {
                    visit(member, visited);
                }
                order.add(node);
            }
        }

        /** Sets a system's own status, recomputes everything and returns the root's status. */
        Status change(String slug, Status own) {
            graph.get(slug).own = own;
            recompute();
            return graph.get(ROOT).rolledUp;
        }

        private void recompute() {
            for (Node node : order) {
                Status worst = node.own;
                for (Node member : members.get(node)) {
                    worst = worst.worst(member.rolledUp);
                }
                node.rolledUp = worst;
            }
        }
    }
}
