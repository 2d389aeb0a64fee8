package io.hanse.kernel.core.command.system;

import static io.hanse.api.security.KernelPermissions.SYSTEMS_READ;
import static io.hanse.api.security.KernelPermissions.SYSTEMS_WRITE;

import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.security.Scope;
import io.hanse.api.shell.SecuredAction;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.shell.SystemSlugCompleter;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemAdminService;
import io.hanse.api.system.SystemDraft;
import io.hanse.api.system.SystemService;
import io.hanse.kernel.core.internal.SystemViews;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "system", name = "set", description = "Changes a system: only what the options give "
        + "changes. A list option replaces the whole list; --label adds or changes one label.")
@Service
@RequiresPermission(SYSTEMS_WRITE)
public class SystemSetCommand extends SystemDraftCommand {

    /** The parts of a system that a change can touch, in the order they are reported. */
    private record Part(String name, Function<ManagedSystem, Object> value) {
    }

    private static final List<Part> PARTS = List.of(
            new Part("slug", ManagedSystem::slug),
            new Part("name", ManagedSystem::name),
            new Part("kind", ManagedSystem::kind),
            new Part("labels", ManagedSystem::labels),
            new Part("description", ManagedSystem::description),
            new Part("owners", ManagedSystem::owners),
            new Part("links", ManagedSystem::links),
            new Part("rules", ManagedSystem::rules),
            new Part("members", ManagedSystem::members),
            new Part("selector", ManagedSystem::selector));

    @Argument(index = 0, name = "slug", description = "The system", required = true)
    @Completion(SystemSlugCompleter.class)
    String slug;

    @Option(name = "--new-slug", description = "A new slug; the system keeps its id")
    String newSlug;

    @Option(name = "--remove-label", description = "The key of a label to remove; repeat for more",
            multiValued = true)
    List<String> removeLabels;

    @Option(name = "--clear-selector", description = "Removes the selector; explicit members stay")
    boolean clearSelector;

    @Reference
    SystemService systems;

    @Reference
    SystemAdminService admin;

    @Override
    protected Object execute(Caller caller) {
        caller.require(permission(), slug);
        ManagedSystem before = systems.get(slug);
        SystemDraft draft = draft(before, caller.scope(SYSTEMS_READ));
        if (draft.equals(before.toDraft().build())) {
            out().println("Nothing to change in system " + before.slug());
            return null;
        }
        ManagedSystem after = admin.update(before.slug(), draft, caller);
        out().println(report(before, after));
        return null;
    }

    /**
     * Returns the system as it is, changed by the options. {@code --member} keeps the explicit members
     * the shell user may not read, as it was never shown them.
     *
     * @param readable the systems the shell user may read
     * @throws InvalidRequestException if the options contradict each other or are malformed, or a label
     *     to remove is not there
     */
    SystemDraft draft(ManagedSystem before, Scope readable) {
        if (clearSelector && selector != null) {
            throw new InvalidRequestException("give --selector or --clear-selector, not both");
        }
        Map<String, String> labelsBefore = new TreeMap<>(before.labels());
        for (String key : removeLabels == null ? List.<String>of() : removeLabels) {
            if (labelsBefore.remove(key) == null) {
                throw new InvalidRequestException("system '" + before.slug() + "' has no label '" + key + "'");
            }
        }
        SystemDraft.Builder draft = applyOptions(before.toDraft(), labelsBefore, before.rules(),
                given -> SystemViews.replacedMembers(before, given, readable));
        if (newSlug != null) {
            draft.slug(newSlug);
        }
        if (clearSelector) {
            draft.selector(null);
        }
        return draft.build();
    }

    /** Returns what an update did, such as {@code Updated system db-2 (was db-1): slug, labels}. */
    static String report(ManagedSystem before, ManagedSystem after) {
        List<String> changes = changes(before, after);
        return "Updated system " + after.slug()
                + (after.slug().equals(before.slug()) ? "" : " (was " + before.slug() + ")")
                + (changes.isEmpty() ? "" : ": " + String.join(", ", changes));
    }

    /** Returns the names of the parts that differ, such as {@code [name, labels]}. */
    static List<String> changes(ManagedSystem before, ManagedSystem after) {
        return PARTS.stream()
                .filter(part -> !part.value().apply(before).equals(part.value().apply(after)))
                .map(Part::name)
                .toList();
    }
}
