/** The {@code federation} shell scope: identity, invitations, peers, grants and the links' state. */
package io.hanse.kernel.federation.command;
