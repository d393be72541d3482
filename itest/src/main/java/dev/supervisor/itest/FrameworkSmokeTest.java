package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.Supervised;
import dev.supervisor.itest.workers.StartupWorkers;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The runtime is what the other tests assume: real Felix, real SCR, the API as a real bundle. */
class FrameworkSmokeTest {

  @Test
  void runsInFelixFramework7() {
    Bundle system = Osgi.context().getBundle(Constants.SYSTEM_BUNDLE_ID);
    assertEquals("org.apache.felix.framework", system.getSymbolicName());
    assertEquals(new Version(7, 0, 5), system.getVersion());
  }

  @Test
  void scrIsActive() {
    Bundle scr = Osgi.bundle(Osgi.SCR_BUNDLE);
    assertEquals(Bundle.ACTIVE, scr.getState(), () -> Osgi.describe(scr));
    ServiceReference<ServiceComponentRuntime> runtime =
        Osgi.context().getServiceReference(ServiceComponentRuntime.class);
    assertNotNull(runtime, "no ServiceComponentRuntime service");
    assertEquals(scr, runtime.getBundle());
  }

  @Test
  void apiIsARealBundleNotASystemPackage() {
    Bundle api = Osgi.bundle(Osgi.API_BUNDLE);
    assertEquals(Bundle.ACTIVE, api.getState(), () -> Osgi.describe(api));
    assertEquals(api, FrameworkUtil.getBundle(Supervised.class), "dev.supervisor.api loaded by the wrong bundle");
    for (String bsn : List.of(Osgi.TEST_BUNDLE, Osgi.WORKERS_BUNDLE)) {
      assertEquals(Osgi.API_BUNDLE, packageProvider(Osgi.bundle(bsn), "dev.supervisor.api"),
          bsn + " must import dev.supervisor.api from the API bundle");
    }
  }

  @Test
  void workerBundleIsActiveWithItsComponents() {
    Bundle workers = Osgi.bundle(Osgi.WORKERS_BUNDLE);
    assertEquals(Bundle.ACTIVE, workers.getState(), () -> Osgi.describe(workers));
    ServiceComponentRuntime scr = Osgi.context().getService(
        Osgi.context().getServiceReference(ServiceComponentRuntime.class));
    List<ComponentDescriptionDTO> components = List.copyOf(scr.getComponentDescriptionDTOs(workers));
    List<Object> names = components.stream().map(c -> c.properties.get("supervisor.name"))
        .filter(n -> n != null).collect(Collectors.toList());
    assertTrue(names.containsAll(List.of(StartupWorkers.DS, StartupWorkers.DS_PROTOTYPE)),
        () -> "DS workers with @SupervisedService properties: " + names);
    components.forEach(c -> assertTrue(scr.isComponentEnabled(c), () -> c.name + " not enabled"));
  }

  @Test
  void implRegistersTheSupervisor() {
    Bundle impl = Osgi.bundle(Osgi.IMPL_BUNDLE);
    assertEquals(Bundle.ACTIVE, impl.getState(), () -> Osgi.describe(impl));
    assertEquals(Osgi.API_BUNDLE, packageProvider(impl, "dev.supervisor.api"));
    try (Supervisors supervisors = new Supervisors()) {
      assertEquals(impl, supervisors.reference().getBundle());
    }
  }

  /** @return the symbolic name of the bundle that {@code bundle} imports {@code pkg} from, or null */
  private static String packageProvider(Bundle bundle, String pkg) {
    BundleWiring wiring = bundle.adapt(BundleWiring.class);
    assertNotNull(wiring, () -> Osgi.describe(bundle) + " is not resolved");
    for (BundleWire wire : wiring.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
      if (pkg.equals(wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))) {
        return wire.getProvider().getSymbolicName();
      }
    }
    return null;
  }
}
