package io.hanse.kernel.store;

import java.time.Instant;

/**
 * The stored record of this instance.
 *
 * @param id stable identifier, generated when the record was created
 * @param name the current instance name
 * @param created when the record was created, which is the instance's first start
 */
public record InstanceRecord(String id, String name, Instant created) {
}
