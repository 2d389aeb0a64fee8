package io.hanse.agent.config;

import java.util.List;

/** Thrown when a configuration file has problems; {@link #problems()} names every one, each with its key. */
public final class InvalidConfigException extends RuntimeException {

    private final List<String> problems;

    /** Creates the exception for {@code file} with at least one problem. */
    public InvalidConfigException(String file, List<String> problems) {
        super(file + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems") + ": "
                + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Returns one message per problem, each naming the key (and line) it is about. */
    public List<String> problems() {
        return problems;
    }
}
