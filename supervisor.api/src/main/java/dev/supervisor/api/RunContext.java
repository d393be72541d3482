package dev.supervisor.api;

import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a running worker knows about its own run, and how it talks back to the supervisor. One context
 * exists per call of {@link Supervised#run}; it is safe to use from any thread.
 */
@ProviderType
public interface RunContext {

  /** @return the service's name, as given by {@code supervisor.name} */
  String name();

  /**
   * @return how many times {@code run} has been called for this registration, this call included (1 for the
   *     first); a new registration of the same name (after its bundle restarted, say) counts from 1 again
   */
  int attempt();

  /**
   * Signals that the worker is ready: its dependents may start. Needed only with
   * {@link Readiness#EXPLICIT}; with {@link Readiness#AUTO} the worker is ready as soon as {@code run} is
   * entered and this call does nothing. Calling it more than once, or after a stop request, does nothing.
   * Never blocks.
   */
  void ready();

  /**
   * Signals that a ready worker is no longer ready (it lost what it needs, say its upstream), without
   * ending the run: the service goes back from RUNNING to STARTING, its running dependents are stopped
   * and wait, and a later {@link #ready()} makes it RUNNING again and starts them. This is not a failure:
   * nothing is counted, and the ready timeout does not start again. Only with {@link Readiness#EXPLICIT};
   * otherwise, before {@code ready()}, or after a stop request, it does nothing. Never blocks.
   *
   * @since 1.1
   */
  void notReady();

  /** @return true once the supervisor has asked this run to end; never goes back to false */
  boolean stopRequested();

  /**
   * Blocks until the supervisor asks this run to end.
   *
   * @throws InterruptedException if the calling thread is interrupted (the supervisor interrupts the run
   *     thread when the stop timeout runs out)
   */
  void awaitStop() throws InterruptedException;

  /**
   * Blocks until the supervisor asks this run to end or the timeout runs out.
   *
   * @param timeout how long to wait at most
   * @return true if a stop was requested, false if the timeout ran out first
   * @throws InterruptedException if the calling thread is interrupted
   */
  boolean awaitStop(Duration timeout) throws InterruptedException;
}
