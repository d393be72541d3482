/**
 * What the integration tests share with the worker bundle: the {@link dev.supervisor.itest.workers.Recorder}
 * every worker writes to, the worker classes, and {@link dev.supervisor.itest.workers.Registrations}, which
 * registers whiteboard workers under this bundle's own context (so that stopping this bundle takes them
 * away, as in production).
 */
@Export
@Version("1.0.0")
package dev.supervisor.itest.workers;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
