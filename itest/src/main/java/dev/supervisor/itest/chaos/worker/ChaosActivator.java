package dev.supervisor.itest.chaos.worker;

import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.Supervised;
import dev.supervisor.itest.chaos.ChaosProbe;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.PrototypeServiceFactory;
import org.osgi.framework.ServiceRegistration;

/**
 * The activator of a generated chaos bundle: registers the bundle's share of the workers as whiteboard
 * {@code Supervised} services, as its {@value #PLAN} lists them (one line per property, keys
 * {@code <name>.<property>}), some of them prototype-scoped. The framework unregisters them when the
 * bundle stops; the supervisor removes them before that, from its synchronous bundle listener.
 *
 * <p>At {@link #stop}, after the supervisor removed this bundle's workers and before the framework
 * unregisters them, it tells the probe how many prototype instances are still out (got and not given back),
 * so the test can check that the supervisor released every instance after its run.
 */
public final class ChaosActivator implements BundleActivator {

  /** The plan inside the generated jar. */
  public static final String PLAN = "chaos/plan.properties";
  /** Service property marking a chaos worker registration, with the bundle's symbolic name. */
  public static final String MARKER = "chaos.bundle";

  private final Map<String, AtomicInteger> outstanding = new ConcurrentHashMap<>();
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

  @Override
  public void start(BundleContext context) throws IOException {
    Bundle self = context.getBundle();
    String bsn = self.getSymbolicName();
    Properties plan = new Properties();
    URL entry = self.getEntry(PLAN);
    try (InputStream in = entry.openStream()) {
      plan.load(in);
    }
    for (String name : plan.getProperty("workers", "").split(",")) {
      if (name.isEmpty()) {
        continue;
      }
      Hashtable<String, Object> properties = new Hashtable<>();
      String prefix = name + ".";
      for (String key : plan.stringPropertyNames()) {
        if (key.startsWith(prefix + "supervisor.")) {
          String property = key.substring(prefix.length());
          String value = plan.getProperty(key);
          properties.put(property, property.equals(ServiceSpec.DEPENDS_ON) ? value.split(",") : value);
        }
      }
      properties.put(ServiceSpec.NAME, name);
      properties.put(MARKER, bsn);
      boolean prototype = "prototype".equals(plan.getProperty(prefix + "scope"));
      boolean explicit = "EXPLICIT".equals(plan.getProperty(prefix + ServiceSpec.READINESS));
      String tag = ChaosProbe.registrationTag(bsn + " " + self.getVersion());
      if (prototype) {
        AtomicInteger out = outstanding.computeIfAbsent(name, n -> new AtomicInteger());
        registrations.add(context.registerService(Supervised.class, new PrototypeServiceFactory<Supervised>() {
          @Override
          public Supervised getService(Bundle user, ServiceRegistration<Supervised> registration) {
            out.incrementAndGet();
            ChaosProbe.count("prototype instances made");
            return new ChaosWorker(name, tag, true, explicit);
          }

          @Override
          public void ungetService(Bundle user, ServiceRegistration<Supervised> registration, Supervised service) {
            out.decrementAndGet();
          }
        }, properties));
      } else {
        registrations.add(context.registerService(Supervised.class,
            new ChaosWorker(name, tag, false, explicit), properties));
      }
    }
  }

  @Override
  public void stop(BundleContext context) {
    StringBuilder held = new StringBuilder();
    outstanding.forEach((name, out) -> {
      if (out.get() != 0) {
        held.append(held.length() == 0 ? "" : ", ").append(name).append(" x").append(out.get());
      }
    });
    ChaosProbe.bundleStopped(context.getBundle().getSymbolicName(), held.toString());
    registrations.clear();
  }
}
