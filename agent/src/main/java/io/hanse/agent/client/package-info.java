/**
 * Talking to the Hanse instance over its REST API: signed requests, bounded responses, and answers
 * read as untrusted data.
 */
package io.hanse.agent.client;
