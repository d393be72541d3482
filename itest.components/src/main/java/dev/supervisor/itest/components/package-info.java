/**
 * What the integration tests share with the component bundle: {@link dev.supervisor.itest.components.Control}
 * (knobs and counters the components read and write) and the service interfaces the components provide and
 * need ({@link dev.supervisor.itest.components.Store}, {@link dev.supervisor.itest.components.Gate}).
 */
@Export
@Version("1.0.0")
package dev.supervisor.itest.components;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
