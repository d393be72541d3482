package dev.supervisor.itest.components.internal;

import org.osgi.service.component.annotations.Component;

/**
 * A supervised DS component gated on the readiness condition of itest.store: no reference of its own, yet it
 * derives a dependency on itest.store from its satisfying-condition target.
 */
@Component(name = "itest.conditioned", service = {}, immediate = true, enabled = false, property = {
    "supervisor.component:Boolean=true", "supervisor.autoStart:Boolean=false",
    "osgi.ds.satisfying.condition.target=(osgi.condition.id=supervisor.itest.store)"})
public final class ConditionedComponent {}
