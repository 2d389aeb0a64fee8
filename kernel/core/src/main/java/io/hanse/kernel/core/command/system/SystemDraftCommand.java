package io.hanse.kernel.core.command.system;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.shell.SystemSlugCompleter;
import io.hanse.api.system.Link;
import io.hanse.api.system.Rules;
import io.hanse.api.system.Selector;
import io.hanse.api.system.SystemDraft;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import io.hanse.api.shell.SecuredAction;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;

/**
 * The options that {@code system:add} and {@code system:set} share. Each option given sets one part of
 * a system draft; what is not given stays as it was. A list option replaces the whole list, and a
 * single {@code ''} empties it; {@code --label} adds or changes one label.
 */
abstract class SystemDraftCommand extends SecuredAction {

    @Option(name = "--name", description = "Human-readable name; the slug if never given")
    String name;

    @Option(name = "--kind", description = "What it is, such as service, host, environment or datacenter; "
            + "component if never given")
    String kind;

    @Option(name = "--label", description = "A label key=value; repeat for more", multiValued = true)
    List<String> labels;

    @Option(name = "--description", description = "What the system is and does")
    String description;

    @Option(name = "--owner", description = "An owner, a person or team; repeat for more, '' for none",
            multiValued = true)
    List<String> owners;

    @Option(name = "--link", description = "A link 'title|url' or 'title|url|kind', quoted because | is a pipe; "
            + "repeat for more, '' for none", multiValued = true)
    List<String> links;

    @Option(name = "--rules", description = "What may be done, when, and what must never be done")
    String rules;

    @Option(name = "--may-touch", description = "Who may change the system, a team or role; repeat for more, "
            + "'' for none", multiValued = true)
    List<String> mayTouch;

    @Option(name = "--escalate-to", description = "Whom to call when it breaks, in order; repeat for more, "
            + "'' for none", multiValued = true)
    List<String> escalateTo;

    @Option(name = "--member", description = "The slug of an explicit member; repeat for more, '' for none",
            multiValued = true)
    @Completion(SystemSlugCompleter.class)
    List<String> members;

    @Option(name = "--selector", description = "The label selector that chooses further members, such as "
            + "'kind=host,dc=fra1'")
    String selector;

    /**
     * Sets on the draft what the options give.
     *
     * @param labelsBefore the labels that {@code --label} adds to
     * @param rulesBefore the rules that {@code --rules}, {@code --may-touch} and {@code --escalate-to} change
     * @param explicit makes the explicit members of those {@code --member} gives
     * @throws InvalidRequestException if a label, link or the selector is malformed
     */
    SystemDraft.Builder applyOptions(SystemDraft.Builder draft, Map<String, String> labelsBefore, Rules rulesBefore,
            UnaryOperator<List<String>> explicit) {
        if (name != null) {
            draft.name(name);
        }
        if (kind != null) {
            draft.kind(kind);
        }
        Map<String, String> newLabels = new TreeMap<>(labelsBefore);
        for (String text : labels == null ? List.<String>of() : labels) {
            Map.Entry<String, String> label = label(text);
            newLabels.put(label.getKey(), label.getValue());
        }
        draft.labels(newLabels);
        if (description != null) {
            draft.description(description);
        }
        if (owners != null) {
            draft.owners(values(owners));
        }
        if (links != null) {
            draft.links(values(links).stream().map(SystemDraftCommand::link).toList());
        }
        if (rules != null || mayTouch != null || escalateTo != null) {
            draft.rules(new Rules(
                    rules != null ? rules : rulesBefore.text(),
                    mayTouch != null ? values(mayTouch) : rulesBefore.mayTouch(),
                    escalateTo != null ? values(escalateTo) : rulesBefore.escalateTo()));
        }
        if (members != null) {
            draft.members(explicit.apply(values(members)));
        }
        if (selector != null) {
            draft.selector(Selector.parse(selector));
        }
        return draft;
    }

    /**
     * Parses a label {@code key=value}; the value may be empty.
     *
     * @throws InvalidRequestException if there is no {@code =}
     */
    static Map.Entry<String, String> label(String text) {
        int equals = text.indexOf('=');
        if (equals < 0) {
            throw new InvalidRequestException("label '" + text + "' must be key=value");
        }
        return Map.entry(text.substring(0, equals).strip(), text.substring(equals + 1).strip());
    }

    /**
     * Parses a link {@code title|url} or {@code title|url|kind}.
     *
     * @throws InvalidRequestException if it has not two or three parts, or the url is not one
     */
    static Link link(String text) {
        String[] parts = text.split("\\|", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new InvalidRequestException("link '" + text + "' must be title|url or title|url|kind");
        }
        URI url;
        try {
            url = new URI(parts[1].strip());
        } catch (URISyntaxException e) {
            throw new InvalidRequestException("link '" + text + "' has a malformed url: " + e.getMessage(), e);
        }
        return new Link(parts[0], url, parts.length == 3 ? parts[2] : null);
    }

    /** Returns the values of a list option; a single blank value stands for none. */
    static List<String> values(List<String> given) {
        return given.size() == 1 && given.get(0).isBlank() ? List.of() : given;
    }
}
