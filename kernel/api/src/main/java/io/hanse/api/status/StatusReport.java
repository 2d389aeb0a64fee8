package io.hanse.api.status;

import java.time.Instant;
import java.util.Objects;

/**
 * What one contributor says about one system.
 *
 * @param contributor the contributor's {@link StatusContributor#name() name}
 * @param status the status it reports
 * @param summary one line that says why, such as {@code disk /var 97% full}
 * @param since when the contributor's status last changed
 */
public record StatusReport(String contributor, Status status, String summary, Instant since) {

    public StatusReport {
        Objects.requireNonNull(contributor, "contributor");
        Objects.requireNonNull(status, "status");
        summary = summary == null ? "" : summary.strip();
        Objects.requireNonNull(since, "since");
    }
}
