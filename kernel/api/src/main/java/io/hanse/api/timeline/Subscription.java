package io.hanse.api.timeline;

import org.osgi.annotation.versioning.ProviderType;

/** A live subscription to the timeline; close it to stop receiving events. */
@ProviderType
public interface Subscription extends AutoCloseable {

    /**
     * Stops the subscription: no event is delivered after this returns, but for one being delivered
     * as it is called, which the subscriber may still be taking. Closing twice does nothing.
     */
    @Override
    void close();
}
