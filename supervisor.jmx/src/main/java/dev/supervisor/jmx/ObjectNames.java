package dev.supervisor.jmx;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The object names of the supervisor's MBeans: {@code dev.supervisor:type=Supervisor} and
 * {@code dev.supervisor:type=Service,name=<name>}. A service name is used as it is when an ObjectName
 * value may hold it, and quoted with {@link ObjectName#quote} otherwise, so any name works and a client
 * gets it back with {@code value.startsWith("\"") ? ObjectName.unquote(value) : value} (a name that itself
 * starts with a quote is always quoted).
 */
final class ObjectNames {

  /** The JMX domain of every MBean of the supervisor. */
  static final String DOMAIN = "dev.supervisor";

  /** Characters an unquoted ObjectName value must not hold (and the backslash, quoted to be unambiguous). */
  private static final String SPECIAL = ",=:\"*?\n\\";

  private ObjectNames() {}

  /** @return {@code dev.supervisor:type=Supervisor} */
  static ObjectName supervisor() {
    return parse(DOMAIN + ":type=Supervisor");
  }

  /**
   * @param serviceName any service name
   * @return {@code dev.supervisor:type=Service,name=<name, quoted if need be>}
   */
  static ObjectName service(String serviceName) {
    return parse(DOMAIN + ":type=Service,name=" + value(serviceName));
  }

  /**
   * @param path a group path ("" is the root)
   * @return {@code dev.supervisor:type=Group,name=<path, quoted if need be>}
   */
  static ObjectName group(String path) {
    return parse(DOMAIN + ":type=Group,name=" + value(path));
  }

  /**
   * @param text any text
   * @return the text as an ObjectName key value: itself if an unquoted value may hold it, else quoted
   */
  static String value(String text) {
    if (text.isEmpty() || text.chars().anyMatch(c -> SPECIAL.indexOf(c) >= 0)) {
      return ObjectName.quote(text);
    }
    return text;
  }

  private static ObjectName parse(String name) {
    try {
      return new ObjectName(name);
    } catch (MalformedObjectNameException e) {
      // value() leaves nothing unparsable; reaching this is a bug, reported with the name that broke.
      throw new IllegalArgumentException("cannot make an ObjectName of " + name + ": " + e.getMessage(), e);
    }
  }
}
