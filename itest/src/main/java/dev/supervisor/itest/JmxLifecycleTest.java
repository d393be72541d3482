package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.itest.workers.BlockingWorker;
import dev.supervisor.itest.workers.Registrations;
import dev.supervisor.itest.workers.StartupWorkers;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceRegistration;

/**
 * supervisor.jmx cleans up after itself: when its component is deactivated (its bundle stops, or the
 * supervisor goes away) every MBean it registered is unregistered and its listener removed; activated
 * again, it registers MBeans for every service there is.
 */
class JmxLifecycleTest {

  static final String JMX_BUNDLE = "supervisor.jmx";
  private static final String[] STARTUP = StartupWorkers.all().toArray(String[]::new);

  private static JmxClient jmx;

  private final Supervisors supervisors = new Supervisors();

  @BeforeAll
  static void connect() throws IOException {
    jmx = new JmxClient();
  }

  @AfterAll
  static void disconnect() throws IOException {
    jmx.close();
  }

  @AfterEach
  void close() {
    supervisors.close();
  }

  @Test
  void stoppingTheJmxBundleUnregistersEveryMBeanAndStopsListening() throws BundleException {
    supervisors.awaitRunning(STARTUP);
    for (String name : STARTUP) {
      jmx.awaitService(name);
    }
    Bundle bundle = Osgi.bundle(JMX_BUNDLE);
    ServiceRegistration<?> late = null;
    bundle.stop();
    try {
      assertEquals(Set.of(), jmx.all(), "MBeans left after supervisor.jmx stopped");
      // no listener left behind: a service added now gets no MBean
      late = Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, "jmx.late"));
      supervisors.awaitState("jmx.late", State.RUNNING);
      supervisors.get().restart("jmx.late");
      supervisors.awaitState("jmx.late", State.RUNNING);
      assertEquals(Set.of(), jmx.all(), "MBeans registered while supervisor.jmx was stopped");
    } finally {
      bundle.start();
    }
    try {
      // started again, it shows every service there is, the one added meanwhile included
      for (String name : STARTUP) {
        jmx.awaitService(name);
      }
      ObjectName mbean = jmx.awaitService("jmx.late");
      assertEquals("RUNNING", jmx.attribute(mbean, "State"));
      assertTrue(jmx.all().contains(JmxClient.SUPERVISOR));
    } finally {
      if (late != null) {
        late.unregister();
      }
    }
    jmx.awaitNoService("jmx.late");
  }

  @Test
  void theSupervisorGoingAwayTakesItsMBeansAlong() throws BundleException {
    supervisors.awaitRunning(STARTUP);
    jmx.awaitService(StartupWorkers.CHAIN_A);
    Bundle impl = Osgi.bundle(Osgi.IMPL_BUNDLE);
    impl.stop();
    try {
      Await.until("no MBean without a supervisor", jmx::all, Set::isEmpty);
    } finally {
      impl.start();
    }
    supervisors.awaitRunning(STARTUP);
    for (String name : STARTUP) {
      jmx.awaitService(name);
    }
    assertTrue(jmx.all().contains(JmxClient.SUPERVISOR));
  }
}
