/**
 * What the chaos test ({@code dev.supervisor.itest.ChaosTest}) shares with the bundles it generates at test
 * time: {@link dev.supervisor.itest.chaos.ChaosProbe}, the instrumentation every generated worker reports to,
 * and {@link dev.supervisor.itest.chaos.RunPlan}, what one run of a worker is to do. Exported so that the
 * generated bundles import it from the test bundle: one probe, whatever revision of a generated bundle a
 * worker runs in (an abandoned run of an updated bundle still counts against its name).
 */
@Export
@Version("1.0.0")
package dev.supervisor.itest.chaos;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
