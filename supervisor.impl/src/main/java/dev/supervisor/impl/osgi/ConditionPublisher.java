package dev.supervisor.impl.osgi;

import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.State;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.Supervisor;
import dev.supervisor.api.SupervisorListener;
import dev.supervisor.api.Termination;
import dev.supervisor.impl.engine.EngineLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps one readiness condition up per RUNNING service (an OSGi {@code Condition} with
 * {@code osgi.condition.id=supervisor.<name>}, made by a {@link Registrar}) and withdraws it as soon as the
 * service leaves RUNNING, is removed, or the supervisor ends. A DS component gated on it
 * ({@code osgi.ds.satisfying.condition.target}) then runs exactly while the worker does.
 *
 * <p>What it wants is decided per name and tied to the registration id that is RUNNING: when a name is
 * registered again (a new id), the old registration's condition goes and a new one comes, so gated
 * components see the new worker as a new start, and a late update of the old id cannot withdraw the new
 * one's condition.
 *
 * <p>Threads: updates come from the supervisor's dispatcher, one serial queue for this listener, so they
 * arrive in order (across services too). Services that were RUNNING before {@link #attach} are read from
 * the snapshots once, after the listener is added; a service whose update was already heard by then is
 * left to its updates, which are newer than anything the seed could know (snapshots are published before
 * updates are dispatched). Registering and withdrawing happen outside the lock, by whichever thread finds
 * no one else draining: registering a condition makes SCR activate gated components on that very
 * thread, and their code must not run under our lock. That thread is a dispatcher thread, or the thread
 * that calls {@link #attach}; never the supervisor's control thread.
 */
final class ConditionPublisher implements SupervisorListener {
  /** The prefix of every condition id: {@code supervisor.<name>}. */
  static final String ID_PREFIX = "supervisor.";

  /** Puts up the condition of one service name; the only part that touches the OSGi registry. */
  interface Registrar {
    /**
     * @param name the service name
     * @return what withdraws it again (called exactly once)
     */
    Runnable register(String name);
  }

  /**
   * @return whether this bundle sees the Condition API (its optional import is wired); asked before
   *     {@link ConditionRegistrar}, the class that names the API, is loaded
   */
  static boolean conditionsAvailable() {
    try {
      Class.forName("org.osgi.service.condition.Condition", false, ConditionPublisher.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError notWired) {
      return false;
    }
  }

  /** A condition that is up: for which registration, and how to withdraw it. */
  private record Up(long id, Runnable withdraw) {}

  private final Registrar registrar;
  private final EngineLog log;

  // All guarded by this.
  /** Name -> the registration id whose RUNNING state wants the condition up. */
  private final Map<String, Long> wanted = new HashMap<>();
  /** Name -> the condition that is up now. */
  private final Map<String, Up> up = new HashMap<>();
  /** Names whose wanted and actual condition may differ. */
  private final Set<String> dirty = new LinkedHashSet<>();
  /** Until the seed: registration ids already heard of through updates (the seed must not override them). */
  private final Set<Long> heard = new HashSet<>();
  private boolean seeded;
  private boolean draining;
  private boolean closed;

  ConditionPublisher(Registrar registrar, EngineLog log) {
    this.registrar = registrar;
    this.log = log;
  }

  /**
   * Listens to the supervisor and puts up the conditions of the services that are RUNNING already (a
   * listener only hears of changes from the moment it is added).
   *
   * @param supervisor the supervisor to follow
   */
  void attach(Supervisor supervisor) {
    supervisor.addListener(this);
    seed(supervisor.services());
  }

  /**
   * Takes the state of services that were not heard of through an update yet from their snapshots.
   * Called once, after the listener is added.
   *
   * @param snapshots the services as they are now
   */
  void seed(List<? extends ServiceInfo> snapshots) {
    synchronized (this) {
      for (ServiceInfo info : snapshots) {
        if (info.state() == State.RUNNING && !heard.contains(info.id())) {
          wanted.put(info.name(), info.id());
          dirty.add(info.name());
        }
      }
      seeded = true;
      heard.clear();
    }
    drain();
  }

  @Override
  public void statusChanged(StatusUpdate update) {
    synchronized (this) {
      if (!seeded) {
        heard.add(update.serviceId());
      }
      if (update.newState() == State.RUNNING) {
        wanted.put(update.serviceName(), update.serviceId());
      } else {
        wanted.remove(update.serviceName(), update.serviceId());
      }
      dirty.add(update.serviceName());
    }
    drain();
  }

  @Override
  public void serviceRemoved(long serviceId, String serviceName) {
    synchronized (this) {
      if (!seeded) {
        heard.add(serviceId);
      }
      wanted.remove(serviceName, serviceId);
      dirty.add(serviceName);
    }
    drain();
  }

  @Override
  public void supervisorTerminated(Termination termination) {
    // Every service has stopped already, so its update withdrew its condition; this is the safety net.
    withdrawAll(false);
  }

  /**
   * Withdraws every condition and puts up no more. Does not wait for a dispatcher thread that is
   * registering at this moment: that thread withdraws what it registered as soon as it sees the publisher
   * closed (and the engine's close waits for its dispatcher threads).
   */
  void close() {
    withdrawAll(true);
  }

  private void withdrawAll(boolean close) {
    synchronized (this) {
      closed |= close;
      wanted.clear();
      dirty.addAll(up.keySet());
    }
    drain();
  }

  /** @return the names whose condition is up now (for tests and toString) */
  synchronized Set<String> upNames() {
    return Set.copyOf(up.keySet());
  }

  /** Brings the registry in line with {@link #wanted}, one name at a time, calling the registrar outside the lock. */
  private void drain() {
    synchronized (this) {
      if (draining) {
        return; // the draining thread picks up what was just marked dirty
      }
      draining = true;
    }
    try {
      while (true) {
        String name;
        Up current;
        Long want;
        synchronized (this) {
          Iterator<String> next = dirty.iterator();
          if (!next.hasNext()) {
            draining = false;
            return;
          }
          name = next.next();
          next.remove();
          current = up.get(name);
          want = closed ? null : wanted.get(name);
          if (current == null ? want == null : Objects.equals(current.id(), want)) {
            continue;
          }
          if (current != null) {
            up.remove(name);
          }
        }
        if (current != null) {
          withdraw(name, current);
        }
        if (want != null) {
          register(name, want);
        }
      }
    } catch (RuntimeException | Error e) {
      synchronized (this) {
        draining = false;
      }
      throw e;
    }
  }

  private void register(String name, long id) {
    Runnable withdraw;
    try {
      withdraw = registrar.register(name);
    } catch (RuntimeException e) {
      log.error("could not register the condition " + ID_PREFIX + name + " of service '" + name + "'", e);
      return;
    }
    boolean keep;
    synchronized (this) {
      keep = !closed;
      if (keep) {
        // If it left RUNNING meanwhile, that update marked the name dirty again: the loop withdraws it next.
        up.put(name, new Up(id, withdraw));
      }
    }
    if (!keep) {
      withdraw(name, new Up(id, withdraw));
    }
  }

  private void withdraw(String name, Up condition) {
    try {
      condition.withdraw().run();
    } catch (RuntimeException e) {
      log.warn("could not withdraw the condition " + ID_PREFIX + name + " of service '" + name + "'", e);
    }
  }

  @Override
  public String toString() {
    List<String> names = new ArrayList<>(upNames());
    names.sort(null);
    return "readiness conditions " + names;
  }
}
