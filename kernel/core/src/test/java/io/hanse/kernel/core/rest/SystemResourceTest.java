package io.hanse.kernel.core.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hanse.api.status.Status;
import io.hanse.kernel.core.command.system.MemoryStatuses;
import io.hanse.kernel.core.rest.SystemDtos.MemberDto;
import io.hanse.kernel.core.rest.SystemDtos.SystemDto;
import io.hanse.testing.MemorySystems;
import io.hanse.testing.TestCaller;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemResourceTest {

    private static final TestCaller CALLER = TestCaller.everywhere("tester");

    private final MemorySystems systems = new MemorySystems();
    private final MemoryStatuses statuses = new MemoryStatuses();
    // Nothing here changes systems.
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
}
