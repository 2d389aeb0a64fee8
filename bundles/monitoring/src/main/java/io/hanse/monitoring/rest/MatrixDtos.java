package io.hanse.monitoring.rest;

import io.hanse.monitoring.internal.Views;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The status matrix as REST and {@code --json} show it, in both its forms, each shaped for a grid:
 * the columns, and rows whose cells are keyed by column.
 */
public final class MatrixDtos {

    private MatrixDtos() {
    }

    /** Systems by checks: one row per system, one cell per check it has. */
    public record MatrixDto(List<String> columns, List<RowDto> rows) {

        public static MatrixDto of(Views.Matrix matrix, Instant now) {
            return new MatrixDto(matrix.columns(), matrix.rows().stream().map(row -> {
                Map<String, CellDto> cells = new LinkedHashMap<>();
                row.checks().forEach(item -> cells.put(item.state().check(), new CellDto(item.state().shown(),
                        item.state().hard(), Duration.between(item.state().lastChange(), now).toSeconds(),
                        Duration.between(item.state().lastResult(), now).toSeconds(), item.acknowledged(),
                        item.inDowntime(), item.state().flappingNow())));
                return new RowDto(row.system(), cells);
            }).toList());
        }
    }

    /** A system's row of the matrix. */
    public record RowDto(String system, Map<String, CellDto> cells) {
    }

    /**
     * A check's cell of the matrix.
     *
     * @param ageSeconds how long since its status last changed
     * @param lastResultAgeSeconds how long since its last result: for a stale check, how stale
     */
    public record CellDto(String status, boolean hard, long ageSeconds, long lastResultAgeSeconds,
            boolean acknowledged, boolean downtime, boolean flapping) {
    }

    /** Aggregates by members: one row per aggregate, one cell per direct member it has. */
    public record MembersDto(List<String> columns, List<AggregateDto> rows) {

        public static MembersDto of(Views.Members members, Instant now) {
            return new MembersDto(members.columns(), members.rows().stream().map(row -> {
                Map<String, MemberCellDto> cells = new LinkedHashMap<>();
                row.cells().forEach((member, summary) -> cells.put(member, MemberCellDto.of(summary, now)));
                return new AggregateDto(row.system(), cells);
            }).toList());
        }
    }

    /** An aggregate's row of the matrix. */
    public record AggregateDto(String system, Map<String, MemberCellDto> cells) {
    }

    /**
     * A member's cell: its checks and those of its members at any depth that the caller may read.
     *
     * @param status the worst status among them, a stale check's counted as unknown; left out if there are none
     * @param checks how many checks there are
     * @param problems how many of them are problems
     * @param unhandled how many problems are neither acknowledged nor in downtime
     * @param oldestUnhandledSeconds how long the oldest unhandled problem has been one; left out if none is
     * @param remote the worst status federated peers report of the remote systems among them; left out if
     *     there are none
     */
    public record MemberCellDto(String status, int checks, int problems, int unhandled, Long oldestUnhandledSeconds,
            String remote) {

        static MemberCellDto of(Views.Summary summary, Instant now) {
            return new MemberCellDto(summary.worst() == null ? null : summary.worst().label(), summary.checks(),
                    summary.problems(), summary.unhandled(), summary.oldestUnhandled() == null ? null
                            : Duration.between(summary.oldestUnhandled(), now).toSeconds(),
                    summary.remote() == null ? null : summary.remote().label());
        }
    }
}
