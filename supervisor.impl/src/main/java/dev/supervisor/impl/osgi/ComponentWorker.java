package dev.supervisor.impl.osgi;

import dev.supervisor.api.DoNotRestartException;
import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.promise.Promise;

/**
 * Supervises one Declarative Services component the product did not start, through
 * {@link ServiceComponentRuntime}: a run enables the component and watches its configurations.
 *
 * <ul>
 *   <li>Every configuration SATISFIED or ACTIVE: ready (RUNNING). One UNSATISFIED (a reference went away, a
 *       configuration was deleted): not ready again (STARTING), which is not a failure.
 *   <li>FAILED_ACTIVATION (activate threw, or SCR could not activate it): the component is disabled, so SCR
 *       does not retry behind the supervisor's back during the backoff, and the run fails with SCR's reason;
 *       the next run enables it again: the retry is a disable and re-enable, with the spec's backoff.
 *   <li>Disabled by someone else: the run ends without a failure and is not restarted.
 *   <li>Gone (its bundle stopped): the run ends without a failure; the registration is removed meanwhile.
 *   <li>Asked to stop: the run disables the component before it returns.
 * </ul>
 *
 * <p>SCR announces state changes only through {@code service.changecount}, which Felix SCR batches for
 * five seconds by default; the run therefore looks every {@link #POLL} on its own thread.
 */
final class ComponentWorker implements Supervised {
  /** How often a run reads the component's state: a few DTO reads per second per supervised component. */
  static final Duration POLL = Duration.ofMillis(100);
  /** SCR enables and disables on its own thread; a run never waits for it longer than this. */
  private static final long PROMISE_TIMEOUT_MILLIS = 30_000;

  private final ServiceComponentRuntime scr;
  private final Supplier<Bundle> bundle;
  private final String componentName;
  /** Set when the last run ended because someone else disabled the component; see {@link #enabledAgainByHand}. */
  private volatile boolean disabledOutside;

  /**
   * @param scr the runtime that manages the component
   * @param bundle the component's bundle (read at each use: the bundle object stays valid across restarts)
   * @param componentName the component's name
   */
  ComponentWorker(ServiceComponentRuntime scr, Supplier<Bundle> bundle, String componentName) {
    this.scr = scr;
    this.bundle = bundle;
    this.componentName = componentName;
  }

  @Override
  public void run(RunContext ctx) throws Exception {
    disabledOutside = false;
    ComponentDescriptionDTO description = describe();
    if (description == null) {
      throw new DoNotRestartException("component " + componentName + " is gone (its bundle stopped)");
    }
    if (!scr.isComponentEnabled(description)) {
      await(scr.enableComponent(description), "enable");
    }
    boolean ready = false;
    while (!ctx.stopRequested()) {
      description = describe();
      if (description == null) {
        throw new DoNotRestartException("component " + componentName + " is gone (its bundle stopped)");
      }
      if (!scr.isComponentEnabled(description)) {
        if (ctx.stopRequested()) {
          return;
        }
        disabledOutside = true;
        throw new DoNotRestartException("component " + componentName
            + " was disabled outside the supervisor; start the service (or enable the component) to resume");
      }
      Collection<ComponentConfigurationDTO> configurations = scr.getComponentConfigurationDTOs(description);
      ComponentConfigurationDTO failed = firstFailed(configurations);
      if (failed != null) {
        await(scr.disableComponent(description), "disable");
        throw new ComponentActivationException(componentName, failed.failure);
      }
      boolean satisfied = isSatisfied(configurations);
      if (satisfied && !ready) {
        ctx.ready();
      } else if (!satisfied && ready) {
        ctx.notReady();
      }
      ready = satisfied;
      ctx.awaitStop(POLL);
    }
    disableForStop();
  }

  /**
   * Stopping a supervised component disables it, on the run thread before {@code run} returns, so that the
   * supervisor's stop order (dependents first) is the order in which SCR deactivates. Not while its bundle
   * stops: SCR is taking the component down anyway, and the bundle's next start enables it as it declares.
   */
  private void disableForStop() throws Exception {
    Bundle owner = bundle.get();
    if (owner == null || owner.getState() != Bundle.ACTIVE) {
      return;
    }
    ComponentDescriptionDTO description = describe();
    try {
      if (description != null && scr.isComponentEnabled(description)) {
        await(scr.disableComponent(description), "disable");
      }
    } catch (IllegalStateException goneMeanwhile) {
      // SCR or the bundle went away meanwhile: nothing is left to disable
    }
  }

  /** @return true if the last run ended because someone else disabled the component, and it is enabled now */
  boolean enabledAgainByHand() {
    if (!disabledOutside) {
      return false;
    }
    ComponentDescriptionDTO description = describe();
    return description != null && scr.isComponentEnabled(description);
  }

  private ComponentDescriptionDTO describe() {
    Bundle owner = bundle.get();
    try {
      return owner == null ? null : scr.getComponentDescriptionDTO(owner, componentName);
    } catch (IllegalStateException | IllegalArgumentException uninstalled) {
      return null;
    }
  }

  private static ComponentConfigurationDTO firstFailed(Collection<ComponentConfigurationDTO> configurations) {
    for (ComponentConfigurationDTO configuration : configurations) {
      if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
        return configuration;
      }
    }
    return null;
  }

  /** A delayed component is SATISFIED until someone uses its service; that is ready too. */
  private static boolean isSatisfied(Collection<ComponentConfigurationDTO> configurations) {
    if (configurations.isEmpty()) {
      return false;
    }
    for (ComponentConfigurationDTO configuration : configurations) {
      if (configuration.state != ComponentConfigurationDTO.SATISFIED
          && configuration.state != ComponentConfigurationDTO.ACTIVE) {
        return false;
      }
    }
    return true;
  }

  private void await(Promise<Void> promise, String what) throws Exception {
    try {
      promise.timeout(PROMISE_TIMEOUT_MILLIS).getValue();
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new IllegalStateException("could not " + what + " component " + componentName + ": " + cause, cause);
    }
  }

  @Override
  public String toString() {
    return "DS component " + componentName;
  }

  /** A failed activation, with SCR's own account of it (for example the exception activate threw). */
  static final class ComponentActivationException extends Exception {
    private static final long serialVersionUID = 1L;

    ComponentActivationException(String component, String failure) {
      super("activation of component " + component + " failed"
          + (failure == null || failure.isBlank() ? "" : ": " + firstLine(failure)));
    }

    private static String firstLine(String text) {
      int end = text.indexOf('\n');
      return (end < 0 ? text : text.substring(0, end)).strip();
    }
  }
}
