/** The DS component property type that turns a DS component into a supervised worker. */
@Export
@Version("1.0.0")
package dev.supervisor.api.annotations;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
