package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.Supervised;
import dev.supervisor.itest.workers.BlockingWorker;
import dev.supervisor.itest.workers.Registrations;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;

/**
 * A thousand services registered and unregistered leave no MBean behind: the count in the domain
 * returns exactly to where it started. Prints how long it took until all 1,000 MBeans existed (asserts
 * nothing about time).
 */
class JmxChurnTest {

  private static final int SERVICES = 1000;

  private static JmxClient jmx;

  @BeforeAll
  static void connect() throws IOException {
    jmx = new JmxClient();
  }

  @AfterAll
  static void disconnect() throws IOException {
    jmx.close();
  }

  @Test
  void registeringAndUnregisteringAThousandServicesLeavesNoMBean() {
    int before = settledCount();
    int totalBefore = JmxClient.call(() -> jmx.connection().getMBeanCount());
    List<ServiceRegistration<Supervised>> registrations = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < SERVICES; i++) {
      registrations.add(Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, "churn." + i)));
    }
    long registered = System.nanoTime();
    Await.until(SERVICES + " more MBeans", jmx::count, n -> n == before + SERVICES);
    long allThere = System.nanoTime();
    System.out.printf("supervisor.jmx: registering %,d services until all %,d MBeans existed took %d ms "
        + "(%d ms to register the OSGi services, %d ms more until the last MBean appeared)%n", SERVICES,
        SERVICES, (allThere - started) / 1_000_000, (registered - started) / 1_000_000,
        (allThere - registered) / 1_000_000);

    long unregistering = System.nanoTime();
    registrations.forEach(ServiceRegistration::unregister);
    Await.until("the MBean count back to " + before, jmx::count, n -> n == before);
    System.out.printf("supervisor.jmx: unregistering them until their MBeans were gone took %d ms%n",
        (System.nanoTime() - unregistering) / 1_000_000);
    assertEquals(before, settledCount(), () -> "MBeans: " + jmx.all());

    // churn: each service unregistered a moment after it was registered, while others come and go
    Deque<ServiceRegistration<Supervised>> live = new ArrayDeque<>();
    for (int i = 0; i < SERVICES; i++) {
      live.addLast(Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, "churn.fast." + i)));
      if (live.size() > 10) {
        live.removeFirst().unregister();
      }
    }
    live.forEach(ServiceRegistration::unregister);
    Await.until("the MBean count back to " + before + " after churn", jmx::count, n -> n == before);
    assertEquals(before, settledCount(), () -> "MBeans: " + jmx.all());
    int totalAfter = JmxClient.call(() -> jmx.connection().getMBeanCount());
    System.out.printf("supervisor.jmx: MBeans in the platform MBeanServer: %d before, %d after%n", totalBefore,
        totalAfter);
    assertEquals(totalBefore, totalAfter, "MBeans of any domain");
  }

  /**
   * The count of the domain once every update sent so far has reached supervisor.jmx: a sentinel service's
   * MBean appears after everything queued before it (one listener queue, in order), and goes again.
   */
  private static int settledCount() {
    ServiceRegistration<Supervised> sentinel =
        Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, "churn.sentinel"));
    try {
      jmx.awaitService("churn.sentinel");
    } finally {
      sentinel.unregister();
    }
    jmx.awaitNoService("churn.sentinel");
    return jmx.count();
  }
}
