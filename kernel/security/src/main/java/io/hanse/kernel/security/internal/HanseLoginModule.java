package io.hanse.kernel.security.internal;

import io.hanse.api.HanseException;
import java.io.IOException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;
import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.jaas.modules.publickey.PublickeyCallback;

/**
 * Checks a shell login by password or, when the client offers a key, by SSH public key, and gives
 * the subject the user, a {@link HanseLogin} marker, and the Karaf roles its bindings carry.
 * Karaf creates one per login through its proxy; it has no other state.
 */
public final class HanseLoginModule implements LoginModule {

    private Subject subject;
    private CallbackHandler handler;
    private SecurityManager manager;
    private String user;
    /** How the user logged in, as {@link HanseLogin#credential} says it. */
    private String credential;
    private final List<Principal> added = new ArrayList<>();

    @Override
    public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState,
            Map<String, ?> options) {
        this.subject = subject;
        this.handler = handler;
        this.manager = (SecurityManager) options.get(HanseRealm.MANAGER_OPTION);
    }

    @Override
    public boolean login() throws LoginException {
        NameCallback name = new NameCallback("user: ");
        try {
            try {
                PasswordCallback password = new PasswordCallback("password: ", false);
                handler.handle(new Callback[] {name, password});
                char[] secret = password.getPassword();
                if (secret == null) {
                    throw new FailedLoginException("no password given");
                }
                password.clearPassword();
                manager.login(name.getName(), secret, address());
                credential = HanseLogin.PASSWORD;
            } catch (UnsupportedCallbackException noPassword) {
                PublickeyCallback key = new PublickeyCallback();
                handler.handle(new Callback[] {name, key});
                if (key.getPublicKey() == null) {
                    throw new FailedLoginException("no password or key given");
                }
                manager.login(name.getName(), key.getPublicKey(), address());
                credential = HanseLogin.key(SshKeys.fingerprint(key.getPublicKey()));
            }
        } catch (UnsupportedCallbackException | IOException e) {
            throw new FailedLoginException("cannot ask for credentials: " + e.getMessage());
        } catch (HanseException e) {
            throw new FailedLoginException(e.getMessage());
        }
        user = name.getName();
        return true;
    }

    /** The client's address without its port, so that failures from one host count together. */
    private String address() {
        return subject.getPrincipals(ClientPrincipal.class).stream().map(ClientPrincipal::getAddress)
                .map(address -> {
                    String host = address.startsWith("/") ? address.substring(1) : address;
                    int port = host.lastIndexOf(':');
                    return port > 0 ? host.substring(0, port) : host;
                })
                .findFirst().orElse("unknown");
    }

    @Override
    public boolean commit() {
        if (user == null) {
            return false;
        }
        HanseLogin login = new HanseLogin(manager.principalId(user), user, credential, address());
        added.add(new UserPrincipal(user));
        added.add(login);
        manager.karafRoles(login.id()).forEach(role -> added.add(new RolePrincipal(role)));
        subject.getPrincipals().addAll(added);
        return true;
    }

    @Override
    public boolean abort() {
        user = null;
        credential = null;
        added.clear();
        return true;
    }

    @Override
    public boolean logout() {
        subject.getPrincipals().removeAll(added);
        added.clear();
        user = null;
        credential = null;
        return true;
    }
}
