package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Completes the ids of role bindings, for shell users who may see them ({@code security:read}). */
@Service
public class BindingIdCompleter extends NameCompleter {

    @Override
    List<String> names(Caller caller) {
        return security.bindings().stream().map(binding -> binding.id().toString()).toList();
    }
}
