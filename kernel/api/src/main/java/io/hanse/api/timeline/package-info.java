/**
 * The timeline: one append-only stream of events per instance, such as check results, status
 * changes, alerts, tickets, deployments and annotations, each about one system.
 * <p>
 * Append with {@link io.hanse.api.timeline.Timeline#append}; an event's id makes appends
 * idempotent. Query newest first with paging, or subscribe to the same filters live.
 */
@Export
@Version("0.3.0")
package io.hanse.api.timeline;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
