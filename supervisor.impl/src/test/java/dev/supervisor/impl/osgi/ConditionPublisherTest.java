package dev.supervisor.impl.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.State;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.impl.engine.EngineLog;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The publisher's bookkeeping, driven by hand on the test thread (the Felix itest ConditionsTest drives it
 * through a real supervisor): which conditions are up after which updates, and the exact register/withdraw
 * calls the registrar saw.
 */
class ConditionPublisherTest {
  /** Every call the publisher made, in order: "+name" for a registration, "-name" for a withdrawal. */
  private final List<String> calls = new ArrayList<>();
  private final ConditionPublisher publisher = new ConditionPublisher(name -> {
    calls.add("+" + name);
    return () -> calls.add("-" + name);
  }, EngineLog.QUIET);

  @Test
  void aConditionIsUpExactlyWhileItsServiceIsRunning() {
    publisher.seed(List.of());
    publisher.statusChanged(update(1, "db", null, State.STARTING));
    publisher.statusChanged(update(1, "db", State.STARTING, State.RUNNING));
    assertEquals(Set.of("db"), publisher.upNames());
    publisher.statusChanged(update(1, "db", State.RUNNING, State.BACKOFF));
    publisher.statusChanged(update(1, "db", State.BACKOFF, State.STARTING));
    publisher.statusChanged(update(1, "db", State.STARTING, State.RUNNING));
    publisher.statusChanged(update(1, "db", State.RUNNING, State.STOPPING));
    assertEquals(List.of("+db", "-db", "+db", "-db"), calls);
    assertEquals(Set.of(), publisher.upNames());
  }

  @Test
  void removalWithdrawsAndANewRegistrationOfTheNameGetsAFreshCondition() {
    publisher.seed(List.of());
    publisher.statusChanged(update(1, "db", null, State.RUNNING));
    publisher.serviceRemoved(1, "db");
    publisher.statusChanged(update(2, "db", null, State.RUNNING));
    // a late word about the old registration must not touch the new one's condition
    publisher.statusChanged(update(1, "db", State.RUNNING, State.STOPPED));
    publisher.serviceRemoved(1, "db");
    assertEquals(List.of("+db", "-db", "+db"), calls);
    assertEquals(Set.of("db"), publisher.upNames());
  }

  @Test
  void aNewRegistrationRunningBeforeTheOldOnesRemovalIsHeardReplacesTheCondition() {
    publisher.seed(List.of());
    publisher.statusChanged(update(1, "db", null, State.RUNNING));
    publisher.statusChanged(update(2, "db", null, State.RUNNING));
    assertEquals(List.of("+db", "-db", "+db"), calls, "gated components see the new worker as a new start");
  }

  @Test
  void theSeedPutsUpServicesThatWereRunningBeforeTheListenerWasAdded() {
    publisher.seed(List.of(info(1, "db", State.RUNNING), info(2, "cache", State.BACKOFF)));
    assertEquals(List.of("+db"), calls);
    assertEquals(Set.of("db"), publisher.upNames());
  }

  @Test
  void anUpdateHeardBeforeTheSeedWinsOverTheSnapshot() {
    // The update was queued after the listener was added; the snapshot read afterwards is older here (in
    // the engine a snapshot is never older than a dispatched update, but the seed must not rely on timing).
    publisher.statusChanged(update(1, "db", State.RUNNING, State.STOPPING));
    publisher.seed(List.of(info(1, "db", State.RUNNING)));
    assertEquals(List.of(), calls, "the update says db left RUNNING: no condition");
  }

  @Test
  void closeAndTerminationWithdrawEverything() {
    publisher.seed(List.of(info(1, "a", State.RUNNING), info(2, "b", State.RUNNING)));
    publisher.supervisorTerminated(null);
    assertEquals(Set.of(), publisher.upNames());
    publisher.statusChanged(update(3, "c", null, State.RUNNING));
    assertEquals(Set.of("c"), publisher.upNames(), "termination alone does not close the publisher");
    publisher.close();
    publisher.statusChanged(update(4, "d", null, State.RUNNING));
    assertEquals(Set.of(), publisher.upNames(), "closed: nothing more is registered");
    assertEquals(6, calls.size(), calls::toString);
    assertEquals(List.of("+a", "+b"), calls.subList(0, 2));
    assertEquals(Set.of("-a", "-b"), Set.copyOf(calls.subList(2, 4)), "withdrawn in any order");
    assertEquals(List.of("+c", "-c"), calls.subList(4, 6));
  }

  @Test
  void aRegistrarThatThrowsIsLoggedAndTheNextNameStillComesUp() {
    List<String> errors = new ArrayList<>();
    ConditionPublisher failing = new ConditionPublisher(name -> {
      if (name.equals("bad")) {
        throw new IllegalStateException("bundle context invalid");
      }
      calls.add("+" + name);
      return () -> calls.add("-" + name);
    }, new EngineLog() {
      @Override public void info(String message) {}
      @Override public void warn(String message, Throwable error) {}
      @Override public void error(String message, Throwable error) {
        errors.add(message);
      }
    });
    failing.seed(List.of(info(1, "bad", State.RUNNING), info(2, "good", State.RUNNING)));
    assertEquals(List.of("+good"), calls);
    assertEquals(List.of("could not register the condition supervisor.bad of service 'bad'"), errors);
  }

  private static StatusUpdate update(long id, String name, State from, State to) {
    Map<String, Object> values = Map.of("serviceId", id, "serviceName", name, "group", "", "sequence", 1L,
        "oldState", Optional.ofNullable(from), "newState", to, "failure", Optional.empty());
    return fake(StatusUpdate.class, values);
  }

  private static ServiceInfo info(long id, String name, State state) {
    return fake(ServiceInfo.class, Map.of("id", id, "name", name, "state", state));
  }

  /** An interface whose getters answer from the map (the publisher reads only a few of them). */
  private static <T> T fake(Class<T> type, Map<String, Object> values) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      if (method.getName().equals("toString")) {
        return type.getSimpleName() + values;
      }
      Object value = values.get(method.getName());
      if (value == null) {
        throw new UnsupportedOperationException(method.getName() + " is not faked");
      }
      return value;
    }));
  }
}
