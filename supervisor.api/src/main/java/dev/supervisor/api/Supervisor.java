package dev.supervisor.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The supervisor, registered as an OSGi service by the implementation bundle. Use it to add workers
 * programmatically, to control any supervised service by name, to read snapshots, and to listen.
 *
 * <p>Threads: every method is safe to call from any thread, concurrently, including from a worker's
 * {@code run} and from listeners. Control methods ({@code start}, {@code stop}, {@code restart},
 * {@code reset} and their {@code All} forms) are idempotent; they return as soon as the supervisor has
 * taken the request (a stop or restart then proceeds in dependency order in the background) and never
 * wait for a worker. {@code remove} and {@code removeAll} wait for the services to stop. No method holds a
 * lock while calling worker or listener code.
 *
 * <pre>{@code
 * ServiceToken token = supervisor.add(ServiceSpec.builder("poller").dependsOn("db").build(), ctx -> {
 *   while (!ctx.stopRequested()) poll();
 * });
 * supervisor.awaitReady("poller", Duration.ofSeconds(5));
 * ...
 * token.remove();
 * }</pre>
 */
@ProviderType
public interface Supervisor {

  /**
   * Adds a worker; it starts at once (in dependency order) unless its spec says {@code autoStart=false}.
   *
   * @param spec the validated spec; its name must be unused
   * @param worker the worker; run again on this same instance after each restart
   * @return the token that removes it
   * @throws SupervisorException {@code ALREADY_EXISTS} if the name is taken, {@code CIRCULAR_DEPENDENCY}
   *     if adding it closes a cycle, {@code SUPERVISOR_STOPPED} after shutdown
   */
  ServiceToken add(ServiceSpec spec, Supervised worker);

  /**
   * Adds a worker made afresh for every run, as a factory would (the Go broker's factories; in OSGi, a
   * prototype-scoped service does the same). Each instance has its {@code run} and {@code stop()} called at
   * most once and is dropped after its run, closed first if it is {@link AutoCloseable}. A factory that throws
   * or returns null fails that start with a message saying so ({@code START_FAILURE} in the last failure),
   * counted and backed off like any failed start.
   *
   * <pre>{@code
   * supervisor.add(ServiceSpec.builder("session").build(), () -> new SessionWorker(pool));
   * }</pre>
   *
   * @param spec the validated spec; its name must be unused
   * @param factory makes one instance per run; called on the run thread, never on the supervisor's own
   * @return the token that removes it
   * @throws SupervisorException as {@link #add(ServiceSpec, Supervised)}; {@code INVALID_ARGUMENT} for a null
   *     spec or factory
   * @since 1.3
   */
  ServiceToken add(ServiceSpec spec, java.util.function.Supplier<? extends Supervised> factory);

  /**
   * Stops (dependents first) and removes the service the token stands for; blocks until it has stopped or
   * its stop timeout ran out.
   *
   * @param token a token this supervisor issued
   * @throws SupervisorException {@code WRONG_SUPERVISOR} for another supervisor's token (nothing is
   *     removed), {@code UNKNOWN_SERVICE} if already removed, {@code STOP_FAILURE} if it was removed but did
   *     not stop cleanly (its {@code stop()} threw, or {@code run} outlived the stop timeout and was abandoned;
   *     the service's last failure says which)
   */
  void remove(ServiceToken token);

  /**
   * Stops (dependents first) and removes the service of that name that the calling bundle added through
   * this service; blocks until it has stopped or its stop timeout ran out. Idempotent: a name that is not
   * supervised (never was, or removed already) is not an error, and nothing happens.
   *
   * <p>A bundle removes only what it added: a service another bundle added, or an OSGi service registration
   * (whiteboard, which belongs to the bundle that registered it: unregistering the service removes it), is
   * refused and left as it is. Operators' tools remove through {@link SupervisorAdmin}.
   *
   * @param name the service
   * @throws SupervisorException {@code INVALID_ARGUMENT} for a null name; {@code NOT_OWNER} if the service is
   *     not the caller's (the message names the bundle it belongs to); {@code STOP_FAILURE} if it was removed
   *     but did not stop cleanly, as for {@link #remove(ServiceToken)}
   * @since 1.3
   */
  void remove(String name);

  /**
   * Removes everything the calling bundle added through this service, as {@link #remove(String)} would one
   * by one, but stopping them together (dependents first); blocks until every one has stopped or its stop
   * timeout ran out. Other bundles' services and OSGi service registrations are not touched. Nothing to
   * remove is not an error.
   *
   * @throws SupervisorException {@code STOP_FAILURE} if some did not stop cleanly (all are removed all the
   *     same; the message names them)
   * @since 1.3
   */
  void removeAll();

  /**
   * Starts a service that is IDLE or STOPPED (or cuts a BACKOFF delay short). Does nothing if it is
   * already starting or running.
   *
   * @param name the service
   * @throws SupervisorException {@code UNKNOWN_SERVICE}; {@code ILLEGAL_STATE} if it is FAILED (reset it)
   */
  void start(String name);

  /**
   * Stops a service and keeps it (STOPPED); its running dependents stop first and wait for it.
   *
   * @param name the service
   * @throws SupervisorException {@code UNKNOWN_SERVICE}
   */
  void stop(String name);

  /**
   * Stops the service (dependents first) and starts it again; starts it if it was not running.
   *
   * @param name the service
   * @throws SupervisorException {@code UNKNOWN_SERVICE}; {@code ILLEGAL_STATE} if it is FAILED
   */
  void restart(String name);

  /**
   * Clears the restart counters, the consecutive failures, the window and the delay; a FAILED service
   * starts again (or goes IDLE if its spec says {@code autoStart=false}); a service in BACKOFF restarts
   * now. A rejected registration stays FAILED: fix and re-register it.
   *
   * @param name the service
   * @throws SupervisorException {@code UNKNOWN_SERVICE}
   */
  void reset(String name);

  /** Starts every service that is IDLE or STOPPED, in dependency order. FAILED ones are left alone. */
  void startAll();

  /** Stops every service in reverse dependency order (dependents first); does not wait. */
  void stopAll();

  /** Restarts every service that is not FAILED, in dependency order. */
  void restartAll();

  /** {@link #reset} for every service. */
  void resetAll();

  /**
   * @param name the service
   * @return a snapshot, or empty if no such service is supervised
   */
  Optional<ServiceInfo> info(String name);

  /** @return a snapshot of every supervised service (rejected registrations included), sorted by name */
  List<ServiceInfo> services();

  /**
   * A future that completes with a snapshot when the service is RUNNING (at once if it is already), and
   * completes exceptionally with a {@link SupervisorException} when it becomes FAILED
   * ({@code START_FAILURE}), is removed ({@code UNKNOWN_SERVICE}) or the supervisor ends
   * ({@code SUPERVISOR_STOPPED}). A name that is not registered yet is waited for: in a dynamic framework the
   * caller often asks before the provider's bundle has started (since 1.3; it used to fail at once).
   * Cancelling the future stops the wait and nothing else. Whatever is chained onto the future runs on a
   * supervisor dispatcher thread, never on the thread that supervises.
   *
   * @param name the service
   * @return the future
   */
  CompletableFuture<ServiceInfo> whenReady(String name);

  /**
   * Blocks until the service is RUNNING.
   *
   * @param name the service
   * @param timeout how long to wait at most
   * @return a snapshot taken when it was RUNNING
   * @throws TimeoutException if it did not become RUNNING in time (the message says which state it is in, or
   *     that it is not registered: a name not registered yet is waited for, as by {@link #whenReady})
   * @throws InterruptedException if the calling thread is interrupted
   * @throws SupervisorException if it becomes FAILED or is removed; {@code INVALID_ARGUMENT} for a null name
   *     or timeout
   */
  ServiceInfo awaitReady(String name, Duration timeout) throws TimeoutException, InterruptedException;

  /**
   * Blocks until start-up has settled (every service that should run is RUNNING or has come to rest, see
   * {@link BootReport}) or the time is up, and says where every service stands. A timeout is no error: the
   * report says it did not settle. Nothing is started, stopped or left half done by the wait itself.
   *
   * <pre>{@code
   * BootReport report = supervisor.awaitStarted(Duration.ofSeconds(30));
   * if (!report.allRunning()) log.warn("start-up incomplete:\n" + report);
   * }</pre>
   *
   * @param timeout how long to wait at most; zero or negative: report at once
   * @return the report, settled or not
   * @throws InterruptedException if the calling thread is interrupted (the wait ends, nothing else)
   * @throws SupervisorException {@code SUPERVISOR_STOPPED} after shutdown; {@code INVALID_ARGUMENT} for a
   *     null timeout
   * @since 1.3
   */
  BootReport awaitStarted(Duration timeout) throws InterruptedException;

  /**
   * Creates or changes a group. The new values apply from the next decision on (running services are not
   * disturbed). Groups named by {@code supervisor.group} are created on first use with the defaults.
   *
   * @param spec the group's spec
   * @throws SupervisorException {@code SUPERVISOR_STOPPED} after termination
   */
  void configureGroup(GroupSpec spec);

  /**
   * @param path a group path; "" is the root
   * @return a snapshot, or empty if no such group exists
   */
  Optional<GroupInfo> group(String path);

  /** @return a snapshot of every group, the root first, then by path */
  List<GroupInfo> groups();

  /**
   * Restarts every service of the group and of its child groups, dependents first on the way down and
   * dependencies first on the way up. Not-FAILED services only.
   *
   * @param path the group
   * @throws SupervisorException {@code UNKNOWN_GROUP} if there is no such group (before 1.3:
   *     {@code UNKNOWN_SERVICE}); {@code INVALID_ARGUMENT} for a null path
   */
  void restartGroup(String path);

  /**
   * Stops every service of the group and of its child groups (dependents first) and waits at most the
   * group's stop timeout for them.
   *
   * @param path the group
   * @return the names of the services that had not stopped when the group's stop timeout ran out (they
   *     are interrupted and abandoned, as their own stop timeouts would); empty if all stopped
   * @throws SupervisorException {@code UNKNOWN_GROUP} if there is no such group (before 1.3:
   *     {@code UNKNOWN_SERVICE}); {@code INVALID_ARGUMENT} for a null path
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  List<String> stopGroup(String path) throws InterruptedException;

  /**
   * Clears the group's failure count, window and pause, and {@link #reset} every service in it and in
   * its child groups.
   *
   * @param path the group
   * @throws SupervisorException {@code UNKNOWN_GROUP} if there is no such group (before 1.3:
   *     {@code UNKNOWN_SERVICE}); {@code INVALID_ARGUMENT} for a null path
   */
  void resetGroup(String path);

  /**
   * Ends a group now, as its significant members would (the Go broker's Terminate): every service of the
   * group and of its child groups stops, dependents first, and the group's end completes with a normal
   * {@link Termination} (exit status 0, no cause) once they have (or its stop timeout ran out). The root
   * group's end is the supervisor's: {@code terminateGroup("")} terminates the supervisor normally. Starting
   * a member again afterwards brings the group back.
   *
   * <pre>{@code
   * supervisor.terminateGroup("ingest").get(30, TimeUnit.SECONDS);
   * }</pre>
   *
   * @param path the group
   * @return a future that completes with the group's end (on a dispatcher thread); it fails with
   *     {@code UNKNOWN_GROUP} if there is no such group, {@code INVALID_ARGUMENT} for a null path
   * @since 1.3
   */
  CompletableFuture<Termination> terminateGroup(String path);

  /**
   * A future of a group's end (the Go broker's Terminated and Wait): by {@link #terminateGroup}, or by
   * auto-shutdown ({@link AutoShutdown}, {@code supervisor.group.autoShutdown}): it completes once every
   * service in it has stopped, with exit status 0 when it ended normally, 1 and the failure when a significant
   * member's failure ended it. At once if the group has ended and not started again. The root's is
   * {@link #whenTerminated()}.
   *
   * @param path the group
   * @return the future; it fails with {@code UNKNOWN_GROUP} if there is no such group, {@code INVALID_ARGUMENT}
   *     for a null path
   * @since 1.3
   */
  CompletableFuture<Termination> whenGroupTerminated(String path);

  /**
   * @return a future that completes when the supervisor has terminated (closed, fatal error, or the root
   *     group gave up) and every service has stopped; chained actions run on a dispatcher thread
   */
  CompletableFuture<Termination> whenTerminated();

  /**
   * Blocks until the supervisor has terminated.
   *
   * @param timeout how long to wait at most
   * @return how it ended
   * @throws TimeoutException if it is still running when the timeout runs out
   * @throws InterruptedException if the calling thread is interrupted
   */
  Termination awaitTermination(Duration timeout) throws TimeoutException, InterruptedException;

  /**
   * Adds a listener (besides the whiteboard {@link SupervisorListener} services). It receives updates from
   * now on, on the supervisor's dispatcher.
   *
   * @param listener the listener; adding it twice has no effect
   */
  void addListener(SupervisorListener listener);

  /** @param listener a listener added before; no further updates reach it after this returns */
  void removeListener(SupervisorListener listener);
}
