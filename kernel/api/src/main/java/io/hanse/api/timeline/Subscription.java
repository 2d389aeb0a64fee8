package io.hanse.api.timeline;

import org.osgi.annotation.versioning.ProviderType;

/** A live subscription to the timeline; close it to stop receiving events. */
@ProviderType
public interface Subscription extends AutoCloseable {

    /** Stops the subscription; no event is delivered after this returns. Closing twice does nothing. */
    @Override
    void close();
}
