package dev.supervisor.impl.osgi;

import dev.supervisor.api.GroupInfo;
import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.ServiceToken;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.Supervisor;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.SupervisorListener;
import dev.supervisor.api.Termination;
import dev.supervisor.impl.engine.Engine;
import dev.supervisor.impl.engine.WorkerSource;
import dev.supervisor.impl.engine.Escalator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * The {@link Supervisor} service object one bundle gets (bundle scope). It remembers what that bundle
 * added and registered as listeners, so that when the bundle stops (or ungets the service) its workers
 * are stopped and removed and its listeners dropped: nothing keeps running on a class loader that is gone.
 * What it added is also entered in the {@link AddedServices} all views share, which is how removal by name
 * tells this bundle's services from other bundles' and from OSGi service registrations.
 */
final class ClientSupervisor implements Supervisor {
  private final Engine engine;
  private final String owner;
  /** Refreshes this bundle when a worker it added escalates ({@code supervisor.escalate}). */
  private final Escalator escalator;
  private final AddedServices added;
  private final Set<ClientToken> tokens = ConcurrentHashMap.newKeySet();
  private final Set<SupervisorListener> listeners = ConcurrentHashMap.newKeySet();

  ClientSupervisor(Engine engine, String owner, Escalator escalator, AddedServices added) {
    this.engine = engine;
    this.owner = owner;
    this.escalator = escalator;
    this.added = added;
  }

  /** @return the bundle this view is for, as owners are shown ({@code "com.acme.workers [42]"}) */
  String owner() {
    return owner;
  }

  /** Removes what this bundle added, dependents first; called when the bundle lets go of the service. */
  void release() {
    for (SupervisorListener listener : listeners) {
      engine.removeListener(listener);
    }
    listeners.clear();
    try {
      removeAll();
    } catch (SupervisorException stopFailureOrStopped) {
      // all removed though some did not stop cleanly (their failures say so), or the supervisor is shutting
      // down and stops them anyway
    }
  }

  @Override
  public ServiceToken add(ServiceSpec spec, Supervised worker) {
    return added(engine.add(spec, worker, owner, escalator));
  }

  @Override
  public ServiceToken add(ServiceSpec spec, java.util.function.Supplier<? extends Supervised> factory) {
    return added(engine.addSource(spec, factory == null ? null
        : WorkerSource.fresh(spec == null ? null : spec.name(), factory), owner, escalator));
  }

  /** Keeps the token in this bundle's set, so removal by name and at release find it. */
  private ServiceToken added(ServiceToken engineToken) {
    ClientToken token = new ClientToken(this, engineToken, engine.idOf(engineToken));
    tokens.add(token);
    added.added(token);
    return token;
  }

  /** Accepts the tokens of any bundle's view of this supervisor; each leaves the set of the bundle that added it. */
  @Override
  public void remove(ServiceToken token) {
    if (token instanceof ClientToken client) {
      try {
        engine.remove(client.engineToken);
      } finally {
        client.addedBy.forget(client);
      }
    } else {
      engine.remove(token); // the engine refuses it with a clear error: not one of its tokens
    }
  }

  @Override
  public void remove(String name) {
    added.removeByName(name, this);
  }

  @Override
  public void removeAll() {
    List<ClientToken> mine = List.copyOf(tokens);
    try {
      engine.removeEach(mine.stream().map(ClientToken::id).toList());
    } finally {
      mine.forEach(this::forget);
    }
  }

  private void forget(ClientToken token) {
    tokens.remove(token);
    added.forget(token);
  }

  /** @return how many of this bundle's workers are still to be removed when it lets go (for tests) */
  int tokenCount() {
    return tokens.size();
  }

  /**
   * The token a bundle gets: its {@link #remove()} goes through the bundle's view, so the token leaves the
   * set that {@link #release()} works through (else one dead token stayed per add and remove).
   */
  static final class ClientToken implements ServiceToken {
    private final ClientSupervisor addedBy;
    private final ServiceToken engineToken;
    private final long id;

    ClientToken(ClientSupervisor addedBy, ServiceToken engineToken, long id) {
      this.addedBy = addedBy;
      this.engineToken = engineToken;
      this.id = id;
    }

    /** @return the view of the bundle that added it */
    ClientSupervisor addedBy() { return addedBy; }

    /** @return the engine's registration id */
    long id() { return id; }

    @Override public String name() { return engineToken.name(); }

    @Override public void remove() { addedBy.remove(this); }

    @Override public String toString() { return engineToken.toString(); }
  }

  @Override public void start(String name) { engine.start(name); }

  @Override public void stop(String name) { engine.stop(name); }

  @Override public void restart(String name) { engine.restart(name); }

  @Override public void reset(String name) { engine.reset(name); }

  @Override public void startAll() { engine.startAll(); }

  @Override public void stopAll() { engine.stopAll(); }

  @Override public void restartAll() { engine.restartAll(); }

  @Override public void resetAll() { engine.resetAll(); }

  @Override public Optional<ServiceInfo> info(String name) { return engine.info(name); }

  @Override public List<ServiceInfo> services() { return engine.services(); }

  @Override public CompletableFuture<ServiceInfo> whenReady(String name) { return engine.whenReady(name); }

  @Override
  public ServiceInfo awaitReady(String name, Duration timeout) throws TimeoutException, InterruptedException {
    return engine.awaitReady(name, timeout);
  }

  @Override
  public dev.supervisor.api.BootReport awaitStarted(Duration timeout) throws InterruptedException {
    return engine.awaitStarted(timeout);
  }

  @Override public void configureGroup(GroupSpec spec) { engine.configureGroup(spec); }

  @Override
  public java.util.concurrent.CompletableFuture<dev.supervisor.api.Termination> terminateGroup(String path) {
    return engine.terminateGroup(path);
  }

  @Override
  public java.util.concurrent.CompletableFuture<dev.supervisor.api.Termination> whenGroupTerminated(String path) {
    return engine.whenGroupTerminated(path);
  }

  @Override public Optional<GroupInfo> group(String path) { return engine.group(path); }

  @Override public List<GroupInfo> groups() { return engine.groups(); }

  @Override public void restartGroup(String path) { engine.restartGroup(path); }

  @Override public List<String> stopGroup(String path) throws InterruptedException { return engine.stopGroup(path); }

  @Override public void resetGroup(String path) { engine.resetGroup(path); }

  @Override public CompletableFuture<Termination> whenTerminated() { return engine.whenTerminated(); }

  @Override
  public Termination awaitTermination(Duration timeout) throws TimeoutException, InterruptedException {
    return engine.awaitTermination(timeout);
  }

  @Override
  public void addListener(SupervisorListener listener) {
    if (listener != null) {
      listeners.add(listener);
      engine.addListener(listener);
    }
  }

  @Override
  public void removeListener(SupervisorListener listener) {
    if (listener != null) {
      listeners.remove(listener);
      engine.removeListener(listener);
    }
  }

  @Override
  public String toString() {
    return "Supervisor for " + owner;
  }
}
