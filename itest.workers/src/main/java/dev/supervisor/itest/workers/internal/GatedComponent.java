package dev.supervisor.itest.workers.internal;

import dev.supervisor.itest.workers.Gated;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * A plain DS component that may run only while the worker {@code itcond.gate} is RUNNING: DS 1.5's
 * satisfying condition, targeted at the supervisor's readiness condition. Nothing else ties it to the
 * supervisor.
 */
@Component(name = Gated.COMPONENT, service = {}, immediate = true,
    property = "osgi.ds.satisfying.condition.target=(osgi.condition.id=supervisor." + Gated.WORKER + ")")
public class GatedComponent {

  @Activate
  void activate() {
    Gated.activated();
  }

  @Deactivate
  void deactivate() {
    Gated.deactivated();
  }
}
