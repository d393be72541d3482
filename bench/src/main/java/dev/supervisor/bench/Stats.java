package dev.supervisor.bench;

import java.util.Arrays;
import java.util.List;

/** Medians, percentiles and spreads, and how the tables print them. */
final class Stats {
  private Stats() {}

  /** @return the q-quantile (0..1) of the first {@code count} values, nearest rank; sorts them in place */
  static long percentile(long[] values, int count, double q) {
    Arrays.sort(values, 0, count);
    int rank = (int) Math.ceil(q * count) - 1;
    return values[Math.max(0, Math.min(count - 1, rank))];
  }

  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** "median (min–max, n runs)", each value formatted with {@code unit}. */
  static String spread(List<Double> values, String unit) {
    return num(median(values)) + unit + " (" + num(min(values)) + "–" + num(max(values)) + ")";
  }

  /** A number with three significant digits, thousands kept whole. */
  static String num(double value) {
    double abs = Math.abs(value);
    if (abs >= 100) {
      return String.format("%,.0f", value);
    }
    if (abs >= 10) {
      return String.format("%.1f", value);
    }
    return String.format("%.2f", value);
  }
}
