/**
 * Gogo commands in scope {@code supervisor}: {@code list}, {@code info}, {@code start}, {@code stop},
 * {@code restart}, {@code reset}, {@code tree}, {@code graph}. Works in the Felix Gogo shell and in the
 * Karaf shell. Not exported: the commands are found through their service properties.
 */
package dev.supervisor.shell;
