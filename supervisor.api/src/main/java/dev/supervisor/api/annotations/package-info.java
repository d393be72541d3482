/** The DS component property type that turns a DS component into a supervised worker. */
// 2.0.0: the elements that a configured default may stand in for became arrays with an empty default (unset).
// Annotations are source-compatible (a single value needs no braces), but code that reads the annotation as a
// DS configuration type (config.restart() in @Activate) gets an array now: a major change.
@Export
@Version("2.0.0")
package dev.supervisor.api.annotations;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
