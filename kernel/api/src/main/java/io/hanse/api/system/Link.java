package io.hanse.api.system;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.Messages;
import java.net.URI;
import java.util.Set;

/**
 * A link a newcomer follows from a system: a dashboard, a runbook, a repository.
 *
 * @param title what the link shows, such as {@code Grafana: storage latency}
 * @param url an absolute {@code http}, {@code https} or {@code mailto} address
 * @param kind free text that groups links, such as {@code dashboard}, {@code runbook} or
 *     {@code repository}
 */
public record Link(String title, URI url, String kind) {

    private static final Set<String> SCHEMES = Set.of("http", "https", "mailto");

    public Link {
        title = Texts.required("link title", title, Texts.NAME_MAX);
        kind = kind == null || kind.isBlank() ? "link" : Texts.required("link kind", kind, Texts.WORD_MAX);
        if (url == null || !url.isAbsolute() || !SCHEMES.contains(url.getScheme().toLowerCase())) {
            throw new InvalidRequestException("link " + Messages.quote(title) + " needs an absolute http, https or"
                    + " mailto url" + (url == null ? "" : ", not " + Messages.quote(url.toString())));
        }
    }
}
