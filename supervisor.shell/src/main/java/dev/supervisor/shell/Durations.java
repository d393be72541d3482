package dev.supervisor.shell;

import java.time.Duration;
import java.util.Locale;

/** Durations in words for people, in the two precisions the commands need. Pure functions. */
final class Durations {
  private Durations() {}

  /**
   * @param option what the text was given as, for the message, e.g. {@code "boot: --timeout"}
   * @param text ISO-8601 ({@code PT30S}, any letter case) or whole seconds ({@code 30})
   * @return the duration, which must not be negative
   * @throws IllegalArgumentException naming the option and the text otherwise
   */
  static Duration parse(String option, String text) {
    String trimmed = text.strip();
    Duration duration;
    try {
      duration = trimmed.chars().allMatch(Character::isDigit) && !trimmed.isEmpty()
          ? Duration.ofSeconds(Long.parseLong(trimmed)) : Duration.parse(trimmed.toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(option + " '" + text
          + "' is not a duration: use ISO-8601 (PT30S) or seconds (30)");
    }
    if (duration.isNegative()) {
      throw new IllegalArgumentException(option + " '" + text + "' is negative: give 0 or more");
    }
    return duration;
  }

  /**
   * @param duration a duration; negative ones (clock skew) read as zero
   * @return it to a tenth of a second under a minute, else in two units: {@code 0s}, {@code 4.2s},
   *     {@code 2m 03s}, {@code 1h 02m}, {@code 3d 04h}
   */
  static String compact(Duration duration) {
    Duration d = duration.isNegative() ? Duration.ZERO : duration;
    long days = d.toDays();
    if (days > 0) {
      return String.format(Locale.ROOT, "%dd %02dh", days, d.toHoursPart());
    }
    if (d.toHoursPart() > 0) {
      return String.format(Locale.ROOT, "%dh %02dm", d.toHoursPart(), d.toMinutesPart());
    }
    if (d.toMinutesPart() > 0) {
      return String.format(Locale.ROOT, "%dm %02ds", d.toMinutesPart(), d.toSecondsPart());
    }
    long tenths = d.toMillis() / 100;
    return tenths % 10 == 0 ? (tenths / 10) + "s" : String.format(Locale.ROOT, "%d.%ds", tenths / 10, tenths % 10);
  }

  /**
   * @param duration a duration; negative ones read as zero
   * @return it to the millisecond under an hour: {@code 0s}, {@code 0.012s}, {@code 3.250s},
   *     {@code 2m 03.250s}, {@code 1h 02m 03s}, {@code 3d 04h 05m}
   */
  static String precise(Duration duration) {
    Duration d = duration.isNegative() ? Duration.ZERO : duration;
    long days = d.toDays();
    if (days > 0) {
      return String.format(Locale.ROOT, "%dd %02dh %02dm", days, d.toHoursPart(), d.toMinutesPart());
    }
    if (d.toHoursPart() > 0) {
      return String.format(Locale.ROOT, "%dh %02dm %02ds", d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart());
    }
    if (d.toMinutesPart() > 0) {
      return String.format(Locale.ROOT, "%dm %02d.%03ds", d.toMinutesPart(), d.toSecondsPart(), d.toMillisPart());
    }
    if (d.isZero()) {
      return "0s";
    }
    return String.format(Locale.ROOT, "%d.%03ds", d.toSecondsPart(), d.toMillisPart());
  }
}
