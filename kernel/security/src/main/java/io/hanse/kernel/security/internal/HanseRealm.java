package io.hanse.kernel.security.internal;

import java.util.HashMap;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.config.JaasRealm;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Karaf's {@code karaf} JAAS realm, replaced: shell, SSH and JMX logins are checked against
 * Hanse's users, by password or by SSH key. It outranks the realm Karaf ships (rank 0).
 */
@Component
public final class HanseRealm implements JaasRealm {

    static final String REALM = "karaf";
    /** Where the login module finds the security manager among its options. */
    static final String MANAGER_OPTION = "io.hanse.security.manager";
    private static final int RANK = 100;

    private final Map<String, Object> options = new HashMap<>();

    @Activate
    public HanseRealm(@Reference SecurityManager manager, BundleContext context) {
        options.put(ProxyLoginModule.PROPERTY_MODULE, HanseLoginModule.class.getName());
        options.put(ProxyLoginModule.PROPERTY_BUNDLE, Long.toString(context.getBundle().getBundleId()));
        options.put(MANAGER_OPTION, manager);
    }

    @Override
    public String getName() {
        return REALM;
    }

    @Override
    public int getRank() {
        return RANK;
    }

    @Override
    public AppConfigurationEntry[] getEntries() {
        return new AppConfigurationEntry[] {new AppConfigurationEntry(ProxyLoginModule.class.getName(),
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
    }
}
