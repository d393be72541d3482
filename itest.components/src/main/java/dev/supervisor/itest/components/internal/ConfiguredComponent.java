package dev.supervisor.itest.components.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/** A supervised DS component that needs its configuration (PID itest.configured), which the test creates and deletes. */
@Component(name = "itest.configured", service = {}, immediate = true, enabled = false,
    configurationPolicy = ConfigurationPolicy.REQUIRE, property = {
        "supervisor.component:Boolean=true", "supervisor.autoStart:Boolean=false"})
public final class ConfiguredComponent {}
