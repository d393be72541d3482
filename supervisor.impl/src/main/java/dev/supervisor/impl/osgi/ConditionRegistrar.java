package dev.supervisor.impl.osgi;

import dev.supervisor.api.ServiceSpec;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.condition.Condition;

/**
 * Registers {@link Condition#INSTANCE} with {@code osgi.condition.id=supervisor.<name>} (and
 * {@code supervisor.name}) for the {@link ConditionPublisher}. The only class that names the Condition API,
 * which is an optional import (Karaf 4.4's framework does not export it): it is loaded only once
 * {@link ConditionPublisher#conditionsAvailable()} said the package is wired.
 */
final class ConditionRegistrar implements ConditionPublisher.Registrar {
  private final BundleContext context;

  ConditionRegistrar(BundleContext context) {
    this.context = context;
  }

  @Override
  public Runnable register(String name) {
    Dictionary<String, Object> properties = new Hashtable<>();
    properties.put(Condition.CONDITION_ID, ConditionPublisher.ID_PREFIX + name);
    properties.put(ServiceSpec.NAME, name);
    ServiceRegistration<Condition> registration = context.registerService(Condition.class, Condition.INSTANCE,
        properties);
    return () -> {
      try {
        registration.unregister();
      } catch (IllegalStateException alreadyGone) {
        // the framework unregistered it first: the impl bundle is stopping
      }
    };
  }
}
