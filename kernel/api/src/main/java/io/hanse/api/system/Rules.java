package io.hanse.api.system;

import java.util.List;

/**
 * What people must know before they act on a system.
 *
 * @param text free text: what may be done, when, and what must never be done
 * @param mayTouch who may change the system, such as teams or roles
 * @param escalateTo whom to call when it breaks, in order
 */
public record Rules(String text, List<String> mayTouch, List<String> escalateTo) {

    /** No rules written down yet. */
    public static final Rules NONE = new Rules("", List.of(), List.of());

    public Rules {
        text = Texts.optional("rules text", text, Texts.TEXT_MAX);
        mayTouch = Texts.names("mayTouch", mayTouch);
        escalateTo = Texts.names("escalateTo", escalateTo);
    }
}
