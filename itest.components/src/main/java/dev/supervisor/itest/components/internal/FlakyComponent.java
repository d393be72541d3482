package dev.supervisor.itest.components.internal;

import dev.supervisor.itest.components.Control;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * A supervised DS component whose activate throws as long as the test says so. Disabled until the
 * supervisor enables it, and not started until the test starts it, so its counts are the test's own.
 */
@Component(name = "itest.flaky", service = {}, immediate = true, enabled = false, property = {
    "supervisor.component:Boolean=true", "supervisor.autoStart:Boolean=false", "supervisor.restartDelay:Long=300",
    "supervisor.backoffMultiplier:Double=2", "supervisor.jitter:Double=0", "supervisor.maxRestarts:Integer=5"})
public final class FlakyComponent {

  @Activate
  void activate() {
    Control.FLAKY_ACTIVATIONS.incrementAndGet();
    if (Control.FLAKY_FAILURES_LEFT.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
      throw new IllegalStateException("simulated activation failure");
    }
  }
}
