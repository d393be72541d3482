package dev.supervisor.itest.components.internal;

import org.osgi.service.component.annotations.Component;

/**
 * A supervised DS component gated on the readiness condition of {@code itest.late}, a worker nobody has
 * registered when this bundle starts: the order registrations come back in after the supervisor bundle is
 * updated. Its derived edge is known from the condition target alone, so it waits instead of starting.
 */
@Component(name = "itest.early", service = {}, immediate = true, enabled = false, property = {
    "supervisor.component:Boolean=true",
    "osgi.ds.satisfying.condition.target=(osgi.condition.id=supervisor.itest.late)"})
public final class EarlyComponent {}
