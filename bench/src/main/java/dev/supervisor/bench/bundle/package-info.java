/**
 * Classes of the bundles the Felix benchmark generates at run time (a manifest and these class files, copied
 * from the harness's class path): they are loaded inside the framework by the bundles' class loaders, never by
 * the harness. Each class is top-level (no nested or anonymous classes), so the list of files to copy is
 * exactly the list of classes.
 */
package dev.supervisor.bench.bundle;
