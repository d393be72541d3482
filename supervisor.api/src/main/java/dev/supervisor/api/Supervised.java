package dev.supervisor.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A long-lived worker that the supervisor runs, watches and restarts.
 *
 * <p>Register an implementation as an OSGi service with at least the {@code supervisor.name} property
 * (see {@link ServiceSpec} for every property), or annotate a DS component with
 * {@link dev.supervisor.api.annotations.SupervisedService}, or hand it to {@link Supervisor#add}.
 *
 * <pre>{@code
 * @Component(service = Supervised.class)
 * @SupervisedService(name = "consumer", dependsOn = "broker")
 * public class Consumer implements Supervised {
 *   public void run(RunContext ctx) throws Exception {
 *     try (var socket = connect()) {
 *       ctx.ready();                       // only needed with readiness EXPLICIT
 *       while (!ctx.stopRequested()) handle(socket.read());
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>Threads: {@code run} is called on a thread of its own, named after the service; {@code stop} is
 * called on a different thread while {@code run} is still in progress. For a service registered with
 * {@code scope=prototype} each start uses a fresh instance: its {@code run} is called at most once and its
 * {@code stop} at most once. Singleton and bundle-scoped services are run again on the same instance.
 */
@ConsumerType
public interface Supervised {

  /**
   * Does the work; blocks for as long as the worker works.
   *
   * <p>Returning normally means the work is done: the service is restarted only under
   * {@link RestartPolicy#ALWAYS}. Throwing is a failure, handled by the restart policy, except
   * {@link DoNotRestartException} (ends the service whatever the policy) and {@link FatalException}
   * (stops the whole supervisor). When the supervisor asks the worker to stop,
   * {@link RunContext#stopRequested()} becomes true, {@link #stop()} is called, and after the stop
   * timeout the thread is interrupted; whatever {@code run} throws after a stop request is not counted
   * as a failure.
   *
   * <p>When {@code run} returns or throws, whatever the run opened must be released: the next run may begin
   * at once on another thread (and bind the same port). If {@link #stop()} releases something, {@code run}
   * must not return before that release is complete.
   *
   * @param ctx this run's context: readiness, stop requests, the attempt number
   * @throws Exception any failure; the supervisor records it and applies the restart policy
   */
  void run(RunContext ctx) throws Exception;

  /**
   * Unblocks {@link #run} (close a socket, complete a future, ...). Called at most once per run, on a
   * supervisor thread other than the run thread, once the supervisor has asked the run to end; it may
   * race with the very start of {@code run}, so {@code run} should also check
   * {@link RunContext#stopRequested()} after setting up what {@code stop} closes. The default does
   * nothing, which suits workers that poll {@link RunContext#stopRequested()} or block in
   * {@link RunContext#awaitStop()} or in interruptible calls. An exception thrown here is logged and
   * reported; it does not stop the supervisor from waiting for {@code run} to return.
   */
  default void stop() {}
}
