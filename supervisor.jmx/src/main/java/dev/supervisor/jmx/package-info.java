/**
 * The supervisor over JMX: one MXBean per supervised service and one for the supervisor, registered and
 * unregistered by {@link dev.supervisor.jmx.JmxComponent}. Private to the bundle: clients use the MBeans'
 * open types (JConsole, VisualVM, Hawtio need no class of this product), never these classes.
 */
package dev.supervisor.jmx;
