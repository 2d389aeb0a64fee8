/**
 * Running configured programs as child processes (checks and work handlers), within a timeout and
 * output limits, and reading a check's output by the Nagios plugin convention.
 */
package io.hanse.agent.check;
