/**
 * Demo workers, each a DS component registered as a {@link dev.supervisor.api.Supervised} service with
 * {@link dev.supervisor.api.annotations.SupervisedService} properties:
 *
 * <ul>
 *   <li>{@code demo.config} &rarr; {@code demo.store} &rarr; {@code demo.http}: a dependency chain with
 *       explicit readiness (settings loaded, store open, HTTP port bound);
 *   <li>{@code demo.poller}: fails at random and is restarted with exponential backoff;
 *   <li>{@code demo.job}: finishes its work and returns, so it ends {@code STOPPED};
 *   <li>{@code demo.session}: prototype scope, a fresh instance for every start.
 * </ul>
 *
 * <p>The workers share state through {@link dev.supervisor.demo.DemoState}, a service private to this
 * bundle. The package is not exported.
 */
package dev.supervisor.demo;
