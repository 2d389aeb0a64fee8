package io.hanse.kernel.core.rest;

import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;
import static io.hanse.api.security.KernelPermissions.SYSTEMS_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.status.Cause;
import io.hanse.api.status.Status;
import io.hanse.api.status.SystemStatus;
import io.hanse.api.system.SystemDraft;
import io.hanse.kernel.core.command.system.MemoryStatuses;
import io.hanse.kernel.core.internal.system.SystemManager;
import io.hanse.kernel.core.rest.SystemDtos.LinkDto;
import io.hanse.kernel.core.rest.SystemDtos.MemberDto;
import io.hanse.kernel.core.rest.SystemDtos.RulesDto;
import io.hanse.kernel.core.rest.SystemDtos.StatusDto;
import io.hanse.kernel.core.rest.SystemDtos.SystemDto;
import io.hanse.kernel.core.rest.SystemDtos.SystemInput;
import io.hanse.kernel.store.internal.JdbcSystemStore;
import io.hanse.testing.KernelDatabase;
import io.hanse.testing.MemorySystems;
import io.hanse.testing.TestCaller;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SystemResourceTest {

    private static final TestCaller CALLER = TestCaller.everywhere("tester");

    /** May read storage alone, not its members. */
    private static final TestCaller STORAGE_ALONE = TestCaller.on("alice", Set.of("storage"), SYSTEMS_READ,
            SYSTEMS_WRITE);

    private final MemorySystems systems = new MemorySystems();
    private final MemoryStatuses statuses = new MemoryStatuses();
    private final SystemResource resource = new SystemResource(systems, null, statuses);

    @Test
    void aMemberDeletedWhileTheMembersAreListedIsLeftOut() {
        systems.add("db-1");
        systems.add("db-2");
        systems.add("storage", "db-1", "db-2");
        // db-2 was deleted after the members were listed, before its status was read.
        statuses.put("storage", Status.CRITICAL).put("db-1", Status.CRITICAL);

        List<MemberDto> members = resource.listMembers("storage", CALLER);

        assertEquals(List.of(new MemberDto("db-1", "db-1", "component", "critical", true, false)), members);
    }

    @Test
    void anAggregateDeletedWhileTheAggregatesAreListedIsLeftOut() {
        systems.add("db-1");
        systems.add("fra1", "db-1");
        systems.add("storage", "db-1");
        // fra1 was deleted after the aggregates were listed, before its status was read.
        statuses.put("db-1", Status.OK).put("storage", Status.OK);

        List<SystemDto> aggregates = resource.listAggregates("db-1", CALLER);

        assertEquals(List.of("storage"), aggregates.stream().map(SystemDto::slug).toList());
    }

    @Test
    void aSystemShowsOnlyTheExplicitMembersTheCallerMayRead() {
        systems.add("db-1");
        systems.add("storage", "db-1");
        systems.add("fra1", "storage");
        statuses.put("storage", Status.OK).put("fra1", Status.OK);

        assertEquals(List.of(), resource.getSystem("storage", STORAGE_ALONE).members());
        assertEquals(List.of("storage"), resource.getSystem("fra1", TestCaller.on("alice", Set.of("fra1", "storage"),
                SYSTEMS_READ)).members());
    }

    /** Runs a test on the kernel's systems, stored in a throwaway database. */
    private static void onTheKernel(BiConsumer<SystemManager, SystemResource> test) {
        KernelDatabase database = KernelDatabase.h2();
        try {
            SystemManager kernel = new SystemManager(new JdbcSystemStore(null, database.dataSource()));
            test.accept(kernel, new SystemResource(kernel, kernel, kernel));
        } finally {
            database.close();
        }
    }

    @Test
    void replacingASystemKeepsTheExplicitMembersTheCallerMayNotRead() {
        onTheKernel((kernel, resource) -> {
            kernel.create(SystemDraft.builder("db-1").build(), CALLER);
            kernel.create(SystemDraft.builder("storage").members(List.of("db-1")).build(), CALLER);
            SystemInput read = new SystemInput("storage", "Storage", null, null, null, null, null, null,
                    resource.getSystem("storage", STORAGE_ALONE).members(), null);

            resource.replaceSystem("storage", read, STORAGE_ALONE);

            assertEquals(List.of("db-1"), kernel.get("storage").members());
        });
    }

    @Test
    void aNullInAListOfASystemIsRefusedNamingTheListAndTheIndex() {
        List<LinkDto> links = Arrays.asList(new LinkDto("Runbook", "https://wiki.example", null), null);
        List<String> nulls = Arrays.asList("db-1", null);
        RulesDto rules = new RulesDto(null, nulls, null);

        assertEquals(List.of("links[1] is null", "owners[1] is null", "members[1] is null", "mayTouch[1] is null"),
                Stream.of(new SystemInput("web", null, null, null, null, null, links, null, null, null),
                        new SystemInput("web", null, null, null, null, nulls, null, null, null, null),
                        new SystemInput("web", null, null, null, null, null, null, null, nulls, null),
                        new SystemInput("web", null, null, null, null, null, null, rules, null, null))
                .map(input -> assertThrows(InvalidRequestException.class, () -> resource.createSystem(input, CALLER))
                        .getMessage())
                .toList());
    }

    @Test
    void ownersUpToTheirLimitAreStoredAndBeyondItRefusedNamingIt() {
        // 100 owners of 200 characters, each with 97 quotes that JSON escapes: 30,001 characters as JSON.
        List<String> owners = IntStream.range(0, 100)
                .mapToObj(i -> String.format("%03d", i) + "\"".repeat(97) + "x".repeat(100))
                .collect(Collectors.toCollection(ArrayList::new));
        onTheKernel((kernel, resource) -> {
            InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> resource.createSystem(
                    new SystemInput("web", null, null, null, null, owners, null, null, null, null), CALLER));
            assertEquals("owners take 30001 characters written as a JSON array; the limit is 30000",
                    refused.getMessage());

            List<String> fitting = new ArrayList<>(owners);
            fitting.set(0, owners.get(0).replaceFirst("\"", "x"));
            kernel.create(SystemDraft.builder("web").owners(fitting).build(), CALLER);
            assertEquals(fitting, kernel.get("web").owners());
        });
    }

    @Test
    void theCauseCountCountsNoCauseThroughAMemberTheCallerMayNotRead() {
        systems.add("storage");
        List<Cause> causes = IntStream.rangeClosed(1, 5)
                .mapToObj(n -> new Cause(List.of("storage", "db-" + n), Status.CRITICAL, List.of()))
                .toList();
        statuses.put(new SystemStatus("storage", Status.OK, List.of(), Status.CRITICAL, null, causes, 5));

        StatusDto status = resource.getStatus("storage", 1, STORAGE_ALONE);

        assertEquals("critical", status.rolledUp());
        assertEquals(List.of(), status.causes());
        assertEquals(0, status.causeCount());
    }
}
