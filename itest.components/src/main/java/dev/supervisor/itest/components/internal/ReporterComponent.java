package dev.supervisor.itest.components.internal;

import dev.supervisor.itest.components.Store;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * A supervised DS component with a mandatory reference to the primary {@link Store}: it derives a
 * dependency on itest.store without declaring one.
 */
@Component(name = "itest.reporter", service = {}, immediate = true, enabled = false, property = {
    "supervisor.component:Boolean=true", "supervisor.autoStart:Boolean=false"})
public final class ReporterComponent {

  @Reference(target = "(kind=primary)")
  Store store;
}
