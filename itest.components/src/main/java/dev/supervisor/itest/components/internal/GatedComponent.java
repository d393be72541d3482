package dev.supervisor.itest.components.internal;

import dev.supervisor.itest.components.Gate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** A supervised DS component that needs a {@link Gate}, which the test registers and unregisters. */
@Component(name = "itest.gated", service = {}, immediate = true, enabled = false, property = {
    "supervisor.component:Boolean=true", "supervisor.autoStart:Boolean=false"})
public final class GatedComponent {

  @Reference
  Gate gate;
}
