/** A Jolokia restrictor that asks Karaf's JMX ACL; not exported. */
package dev.supervisor.jolokia;
