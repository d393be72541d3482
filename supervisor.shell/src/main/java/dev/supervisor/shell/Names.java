package dev.supervisor.shell;

import dev.supervisor.api.Failure;
import dev.supervisor.api.ServiceInfo;
import java.util.List;
import java.util.stream.Collectors;

/** How the commands show group paths, name lists and failures. Pure functions. */
final class Names {
  /** How the root group (path "") is shown. */
  static final String ROOT = "(root)";
  /** Shown for an empty value. */
  static final String NONE = "-";

  private Names() {}

  /** @return the path, or {@link #ROOT} for "" */
  static String group(String path) {
    return path.isEmpty() ? ROOT : path;
  }

  /** @return the names separated by ", ", or {@link #NONE} */
  static String list(List<String> names) {
    return names.isEmpty() ? NONE : String.join(", ", names);
  }

  /** @return the dependency's name, with " (derived)" when it comes from a DS reference, not supervisor.dependsOn */
  static String dependency(ServiceInfo info, String dependency) {
    return info.spec().dependsOn().contains(dependency) ? dependency : dependency + " (derived)";
  }

  /** @return every dependency of the service, each marked as {@link #dependency} does */
  static List<String> dependencies(ServiceInfo info) {
    return info.dependencies().stream().map(d -> dependency(info, d)).collect(Collectors.toList());
  }

  /** @return "KIND Class: message" on one line, the class without its package */
  static String failure(Failure failure) {
    String type = failure.exceptionClass().isEmpty() ? ""
        : " " + failure.exceptionClass().substring(failure.exceptionClass().lastIndexOf('.') + 1) + ":";
    return oneLine(failure.kind() + type + " " + failure.message());
  }

  /** @return the text with line breaks and tabs as single spaces */
  static String oneLine(String text) {
    return text.replaceAll("[\\r\\n\\t]+", " ").strip();
  }

  /** @return the text cut to at most max characters, "..." marking a cut */
  static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, Math.max(0, max - 3)) + "...";
  }

  /** @return whether a service of group path is in the subtree of filter ("" or "/" = everything) */
  static boolean inSubtree(String path, String filter) {
    String f = filter.equals("/") ? "" : filter;
    return f.isEmpty() || path.equals(f) || path.startsWith(f + "/");
  }
}
