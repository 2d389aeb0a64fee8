/**
 * The timeline: appending with idempotency and limits, paged queries, live subscriptions,
 * retention, and the kernel's own records of system and status changes.
 */
package io.hanse.kernel.core.internal.timeline;
