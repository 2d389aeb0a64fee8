package io.hanse.agent.cli;

import io.hanse.agent.config.AgentConfig;

/** Loads the configuration for a command and warns on standard error of what runs but will not work yet. */
final class ConfigWarnings {

    private ConfigWarnings() {
    }

    /**
     * Loads the configuration {@code arguments} name and prints each of its warnings on one line of
     * {@code console}'s standard error, after the file's name.
     *
     * @throws io.hanse.agent.config.InvalidConfigException naming every problem, if there is any
     */
    static AgentConfig load(Arguments arguments, Console console) {
        AgentConfig config = AgentConfig.load(arguments.config());
        config.warnings().forEach(warning -> console.err().println(arguments.config() + ": warning: " + warning));
        return config;
    }
}
