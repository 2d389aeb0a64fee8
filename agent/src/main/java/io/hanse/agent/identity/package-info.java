/**
 * Who the agent is: its Ed25519 key pair (generated on the host, the private key never leaving it),
 * the identity enrollment gave it, and the signature on every request it sends.
 */
package io.hanse.agent.identity;
