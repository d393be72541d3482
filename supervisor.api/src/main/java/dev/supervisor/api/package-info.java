/**
 * The supervisor's contract: register a {@link dev.supervisor.api.Supervised} worker as an OSGi service
 * (or add it through the {@link dev.supervisor.api.Supervisor} service) and the supervisor starts it in
 * dependency order, restarts it by policy with exponential backoff, and stops it in reverse order.
 *
 * <p>Types users implement are {@code @ConsumerType}; types the supervisor implements are
 * {@code @ProviderType}.
 */
@Export
@Version("1.3.0")
package dev.supervisor.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
