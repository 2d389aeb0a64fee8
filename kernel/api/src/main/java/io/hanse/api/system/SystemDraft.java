package io.hanse.api.system;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.Messages;
import io.hanse.api.rest.Parameters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a caller wants a system to be: the input to create and replace. A draft is checked when it is
 * built, so a draft that exists is well-formed; whether it fits the other systems (unique slug,
 * no cycle) is checked when it is applied.
 */
public final class SystemDraft {

    private static final String NAME = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
    /** A local slug, or a remote system's {@code peer/slug}. */
    private static final Pattern SLUG = Pattern.compile("(?:" + NAME + "/)?" + NAME);
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9._:/-]{0,63}");
    private static final int LABELS_MAX = 64;
    /** The most characters the owners may take written as a JSON array, which is how they are stored. */
    private static final int OWNERS_JSON_MAX = 30_000;

    private final String slug;
    private final String name;
    private final String kind;
    private final Map<String, String> labels;
    private final String description;
    private final List<String> owners;
    private final List<Link> links;
    private final Rules rules;
    private final List<String> members;
    private final Selector selector;

    private SystemDraft(Builder builder) {
        slug = slug(builder.slug);
        name = builder.name == null || builder.name.isBlank() ? slug
                : Texts.required("name", builder.name, Texts.NAME_MAX);
        kind = builder.kind == null || builder.kind.isBlank() ? "component"
                : Texts.required("kind", builder.kind, Texts.WORD_MAX);
        labels = labels(builder.labels);
        description = Texts.optional("description", builder.description, Texts.TEXT_MAX);
        owners = Texts.names("owners", builder.owners);
        int ownersLength = Texts.jsonLength(owners);
        if (ownersLength > OWNERS_JSON_MAX) {
            throw new InvalidRequestException("owners take " + ownersLength + " characters written as a JSON array;"
                    + " the limit is " + OWNERS_JSON_MAX);
        }
        if (builder.links.size() > Texts.LIST_MAX) {
            throw new InvalidRequestException("more than " + Texts.LIST_MAX + " links");
        }
        links = List.copyOf(Parameters.elements("links", builder.links));
        rules = builder.rules == null ? Rules.NONE : builder.rules;
        if (builder.members.size() > 10_000) {
            throw new InvalidRequestException("more than 10000 explicit members; use a selector");
        }
        for (String member : Parameters.elements("members", builder.members)) {
            slug(member);
            if (member.equals(slug)) {
                throw new InvalidRequestException("system '" + slug + "' cannot be its own member");
            }
        }
        members = List.copyOf(new LinkedHashSet<>(builder.members));
        selector = builder.selector;
    }

    /**
     * Starts a draft for the system with this slug.
     */
    public static Builder builder(String slug) {
        return new Builder(slug);
    }

    /**
     * Checks a slug: 1 to 63 lower-case letters, digits and dashes, starting and ending with a letter
     * or digit; a remote system's slug is its peer's instance name, a slash and its slug there.
     *
     * @return the slug
     * @throws InvalidRequestException if it is not one
     */
    public static String slug(String slug) {
        if (slug == null || !SLUG.matcher(slug).matches()) {
            throw new InvalidRequestException("slug " + Messages.quote(slug) + " must be 1 to 63 lower-case letters,"
                    + " digits and dashes, starting and ending with a letter or digit (a remote system's is"
                    + " peer/slug)");
        }
        return slug;
    }

    /**
     * Returns the peer instance a slug names a remote system of: {@code fra} for {@code fra/storage};
     * empty for a local system's slug.
     *
     * @since 0.4.0
     */
    public static Optional<String> peer(String slug) {
        int slash = slug.indexOf('/');
        return slash < 0 ? Optional.empty() : Optional.of(slug.substring(0, slash));
    }

    private static Map<String, String> labels(Map<String, String> labels) {
        if (labels.size() > LABELS_MAX) {
            throw new InvalidRequestException("more than " + LABELS_MAX + " labels");
        }
        Map<String, String> checked = new TreeMap<>();
        labels.forEach((key, value) -> {
            if (key == null || !LABEL_KEY.matcher(key).matches()) {
                throw new InvalidRequestException("label key " + Messages.quote(key)
                        + " must be 1 to 63 letters, digits and . _ - /, starting and ending with a letter or digit");
            }
            if (value == null || !LABEL_VALUE.matcher(value).matches()) {
                throw new InvalidRequestException("label '" + key + "' has value " + Messages.quote(value)
                        + "; values are up to 63 letters, digits and . _ : / -");
            }
            checked.put(key, value);
        });
        return Collections.unmodifiableMap(checked);
    }

    public String slug() {
        return slug;
    }

    public String name() {
        return name;
    }

    /** Returns the kind; {@code component} unless given. */
    public String kind() {
        return kind;
    }

    /** Returns the labels, sorted by key. */
    public Map<String, String> labels() {
        return labels;
    }

    public String description() {
        return description;
    }

    /**
     * Returns who owns the system: at most 100 people or teams, each named in one line of up to 200
     * characters, and all together at most 30,000 characters written as a JSON array (in quotes, with
     * a backslash before each quote or backslash).
     */
    public List<String> owners() {
        return owners;
    }

    public List<Link> links() {
        return links;
    }

    public Rules rules() {
        return rules;
    }

    /** Returns the slugs of the explicit members, without duplicates. */
    public List<String> members() {
        return members;
    }

    public Optional<Selector> selector() {
        return Optional.ofNullable(selector);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SystemDraft draft && slug.equals(draft.slug) && name.equals(draft.name)
                && kind.equals(draft.kind) && labels.equals(draft.labels) && description.equals(draft.description)
                && owners.equals(draft.owners) && links.equals(draft.links) && rules.equals(draft.rules)
                && members.equals(draft.members) && Objects.equals(selector, draft.selector);
    }

    @Override
    public int hashCode() {
        return Objects.hash(slug, name, kind, labels, members, selector);
    }

    @Override
    public String toString() {
        return "SystemDraft[" + slug + "]";
    }

    /** Collects the fields of a draft; {@link #build()} checks them. */
    public static final class Builder {

        private String slug;
        private String name;
        private String kind;
        private Map<String, String> labels = Map.of();
        private String description;
        private List<String> owners = List.of();
        private List<Link> links = List.of();
        private Rules rules;
        private List<String> members = new ArrayList<>();
        private Selector selector;

        private Builder(String slug) {
            this.slug = slug;
        }

        public Builder slug(String slug) {
            this.slug = slug;
            return this;
        }

        /** Sets the name; the slug when not given. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Sets the kind; {@code component} when not given. */
        public Builder kind(String kind) {
            this.kind = kind;
            return this;
        }

        public Builder labels(Map<String, String> labels) {
            this.labels = labels == null ? Map.of() : labels;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder owners(List<String> owners) {
            this.owners = owners;
            return this;
        }

        public Builder links(List<Link> links) {
            this.links = links == null ? List.of() : links;
            return this;
        }

        public Builder rules(Rules rules) {
            this.rules = rules;
            return this;
        }

        /** Sets the explicit members by slug. */
        public Builder members(List<String> members) {
            this.members = members == null ? new ArrayList<>() : new ArrayList<>(members);
            return this;
        }

        /** Sets the selector that makes this a dynamic aggregate; {@code null} for none. */
        public Builder selector(Selector selector) {
            this.selector = selector;
            return this;
        }

        /**
         * Checks the fields and returns the draft.
         *
         * @throws InvalidRequestException naming the first field that is not well-formed
         */
        public SystemDraft build() {
            return new SystemDraft(this);
        }
    }
}
