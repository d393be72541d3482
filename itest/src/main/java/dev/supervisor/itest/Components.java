package dev.supervisor.itest;

import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.promise.Promise;

/**
 * Disables and enables one DS component through Felix SCR's {@link ServiceComponentRuntime}, so a test can
 * deactivate a component while its bundle stays ACTIVE: what the component registered by hand must then be
 * unregistered by its own deactivate, not by the framework cleaning up after a stopping bundle.
 */
final class Components {

  private Components() {}

  /** Disables the component, waits until SCR has deactivated it and has no configuration of it any more. */
  static void disable(String bundle, String component) {
    settle(withRuntime(scr -> scr.disableComponent(description(scr, bundle, component))), component);
    Await.until(component + " disabled", () -> configurations(bundle, component), List::isEmpty,
        found -> found.size() + " configuration(s) left");
  }

  /** Enables the component and waits until a configuration of it is ACTIVE. */
  static void enable(String bundle, String component) {
    settle(withRuntime(scr -> scr.enableComponent(description(scr, bundle, component))), component);
    Await.until(component + " active", () -> configurations(bundle, component),
        found -> found.stream().anyMatch(configuration -> configuration.state == ComponentConfigurationDTO.ACTIVE),
        found -> found.stream().map(configuration -> "state " + configuration.state).toList().toString());
  }

  /** SCR disables and enables asynchronously: the promise resolves once it has (de)activated the component. */
  private static void settle(Promise<Void> done, String component) {
    try {
      Promise<Void> bounded = done.timeout(Await.TIMEOUT.toMillis());
      if (bounded.getFailure() != null) {
        throw new AssertionError("SCR did not finish with " + component + " in " + Await.TIMEOUT, bounded.getFailure());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for SCR with " + component, e);
    }
  }

  /** @return SCR's state of the component's configurations (empty when it is disabled) */
  static List<ComponentConfigurationDTO> configurations(String bundle, String component) {
    return withRuntime(scr -> List.copyOf(scr.getComponentConfigurationDTOs(description(scr, bundle, component))));
  }

  private static ComponentDescriptionDTO description(ServiceComponentRuntime scr, String bundle, String component) {
    Bundle owner = Osgi.bundle(bundle);
    ComponentDescriptionDTO description = scr.getComponentDescriptionDTO(owner, component);
    if (description == null) {
      throw new AssertionError("no component " + component + " in " + Osgi.describe(owner));
    }
    return description;
  }

  private static <T> T withRuntime(java.util.function.Function<ServiceComponentRuntime, T> call) {
    ServiceReference<ServiceComponentRuntime> reference =
        Osgi.context().getServiceReference(ServiceComponentRuntime.class);
    if (reference == null) {
      throw new AssertionError("no ServiceComponentRuntime service");
    }
    ServiceComponentRuntime scr = Osgi.context().getService(reference);
    try {
      return call.apply(scr);
    } finally {
      Osgi.context().ungetService(reference);
    }
  }
}
