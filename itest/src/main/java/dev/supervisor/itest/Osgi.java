package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

/** Access to the framework the tests run in. */
final class Osgi {

  /** The test bundle itself. */
  static final String TEST_BUNDLE = "itest";
  /** The bundle that registers the test workers. */
  static final String WORKERS_BUNDLE = "itest.workers";
  static final String API_BUNDLE = "supervisor.api";
  static final String IMPL_BUNDLE = "supervisor.impl";
  static final String SCR_BUNDLE = "org.apache.felix.scr";

  private Osgi() {}

  /** @return the test bundle's context */
  static BundleContext context() {
    return FrameworkUtil.getBundle(Osgi.class).getBundleContext();
  }

  /**
   * @param symbolicName a bundle symbolic name
   * @return the installed bundle of that name (fails the test if there is none)
   */
  static Bundle bundle(String symbolicName) {
    Bundle[] bundles = context().getBundles();
    Bundle found = Arrays.stream(bundles).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
        .orElse(null);
    assertNotNull(found, () -> "no bundle " + symbolicName + " installed; bundles: " + describe(bundles));
    return found;
  }

  /** @return "bsn version STATE" for each bundle */
  static String describe(Bundle... bundles) {
    return Arrays.stream(bundles).map(Osgi::describe).collect(Collectors.joining(", ", "[", "]"));
  }

  static String describe(Bundle bundle) {
    return bundle.getSymbolicName() + " " + bundle.getVersion() + " " + stateName(bundle.getState());
  }

  static String stateName(int state) {
    switch (state) {
      case Bundle.UNINSTALLED: return "UNINSTALLED";
      case Bundle.INSTALLED: return "INSTALLED";
      case Bundle.RESOLVED: return "RESOLVED";
      case Bundle.STARTING: return "STARTING";
      case Bundle.STOPPING: return "STOPPING";
      case Bundle.ACTIVE: return "ACTIVE";
      default: return "state " + state;
    }
  }
}
