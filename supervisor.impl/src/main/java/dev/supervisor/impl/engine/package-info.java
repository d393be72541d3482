/**
 * The supervision engine: plain Java, no OSGi (the {@code osgi} package and the JMX, shell, health and web
 * bundles are thin adapters around it).
 *
 * <p>One control thread ({@link dev.supervisor.impl.engine.ControlLoop}) owns every piece of supervision state
 * and handles one {@link dev.supervisor.impl.engine.Message} at a time in
 * {@link dev.supervisor.impl.engine.Supervision}, the life of each service in dependency order. What a service
 * is doing is its {@link dev.supervisor.impl.engine.Phase}; what has happened to it, its
 * {@link dev.supervisor.impl.engine.ServiceMetrics}. Code the supervisor does not own (a worker's {@code run}
 * and {@code stop()}, a source's release, an escalator) runs only in
 * {@link dev.supervisor.impl.engine.LiveRunThreads}, never on the control thread and never under a lock.
 * Callers read published, immutable snapshots ({@link dev.supervisor.impl.engine.PublishedView}) and never
 * wait for the control thread to read.
 *
 * <p><b>The one rule</b> for {@code Supervision}'s collaborators ({@code Registrations}, {@code ServiceTable},
 * {@code Groups}, {@code GroupUpkeep}, {@code RestartBudget}, {@code BundleRefreshes},
 * {@code MissingDependencyWatch}, {@code Publisher}, {@code Timers}, {@code RunThreads}): each may
 * <em>answer</em> (a query, or a decision value), <em>buffer</em> (outputs released after the message:
 * snapshots, then listener updates, then replies), or <em>post</em> (to the mailbox, as timers and run threads
 * do). None calls back into {@code Supervision}. So every transition can be read in one place, and stepped in
 * a test without a thread.
 */
package dev.supervisor.impl.engine;
