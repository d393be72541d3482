package dev.supervisor.impl.engine;

import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.SupervisorException;

/**
 * The name a rejected registration is shown under. Its own name when that is usable and free, so the user
 * finds it where they look; else a placeholder that still hints at what was asked for.
 */
final class RejectedName {
  private static final int SHOWN = 60;

  private RejectedName() {}

  /**
   * @param asked the name the registration asked for, or null if it had none
   * @param id the registration id the placeholder is made unique with
   * @param taken whether another registration holds that name already
   */
  static String of(String asked, long id, boolean taken) {
    if (asked != null && !taken && isUsable(asked)) {
      return asked;
    }
    return "rejected#" + id + (asked == null ? "" : " " + shorten(asked));
  }

  private static boolean isUsable(String name) {
    try {
      ServiceSpec.builder(name).build();
      return true;
    } catch (SupervisorException e) {
      return false;
    }
  }

  /** Keeps a printable, short form of a rejected name. */
  private static String shorten(String name) {
    StringBuilder out = new StringBuilder();
    name.codePoints().limit(SHOWN).filter(c -> !Character.isISOControl(c)).forEach(out::appendCodePoint);
    return ("(" + out.toString().strip() + (name.length() > SHOWN ? "..." : "") + ")").replace("()", "(empty name)");
  }
}
