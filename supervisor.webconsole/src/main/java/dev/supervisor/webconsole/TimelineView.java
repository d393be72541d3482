package dev.supervisor.webconsole;

import dev.supervisor.api.State;
import dev.supervisor.webconsole.TransitionLog.History;
import dev.supervisor.webconsole.TransitionLog.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The start-up timeline (what {@code systemd-analyze plot} is for systemd): one bar per service from its
 * registration through WAITING and STARTING to RUNNING and on, coloured by state, with restarts and
 * failures marked; rows ordered by registration. Served as JSON for scripts and the page, and as a
 * standalone SVG.
 */
final class TimelineView {
  static final int DEFAULT_LIMIT = 200;
  static final int MAX_LIMIT = 2000;
  private static final double LABEL_WIDTH = 260;
  private static final double CHART_WIDTH = 900;
  private static final double ROW = 18;
  private static final double HEADER = 30;

  /** A stretch of time in one state; {@code state} null for a stretch whose transitions were not kept. */
  record Segment(State state, Instant from, Instant to) {}

  /** A restart or a failure at a point in time. */
  record Mark(String kind, Instant time, String message) {}

  record Row(String name, String group, State state, boolean reconstructed, long dropped, Instant first,
      List<Segment> segments, List<Mark> marks) {}

  record Model(Instant since, Instant now, int total, int offset, int limit, List<Row> rows) {}

  private TimelineView() {}

  static Model model(List<History> histories, Instant since, Instant now, int offset, int limit) {
    List<Row> rows = new ArrayList<>(histories.size());
    for (History h : histories) {
      rows.add(row(h, now));
    }
    rows.sort(Comparator.comparing(Row::first).thenComparing(Row::name));
    int from = Math.min(offset, rows.size());
    int to = Math.min(rows.size(), from + limit);
    List<Row> page = new ArrayList<>(to - from);
    for (Row r : rows.subList(from, to)) {
      page.add(clip(r, since));
    }
    return new Model(since, now, rows.size(), from, limit, page);
  }

  private static Row row(History h, Instant now) {
    List<Transition> all = new ArrayList<>(h.startup());
    int gapAfter = h.dropped() > 0 ? all.size() : -1;
    all.addAll(h.recent());
    List<Segment> segments = new ArrayList<>(all.size() + 1);
    List<Mark> marks = new ArrayList<>();
    boolean startedBefore = false;
    for (int i = 0; i < all.size(); i++) {
      Transition t = all.get(i);
      Instant end = i + 1 < all.size() ? all.get(i + 1).time() : now;
      // the transitions between the start-up and the recent ones fell out of the record: unknown stretch
      State state = i + 1 == gapAfter ? null : t.state();
      segments.add(new Segment(state, t.time(), end.isBefore(t.time()) ? t.time() : end));
      if (t.state() == State.BACKOFF || t.state() == State.FAILED) {
        marks.add(new Mark("failure", t.time(), t.failure()));
      }
      if (t.state() == State.STARTING) {
        if (startedBefore || i >= gapAfter && gapAfter >= 0) {
          marks.add(new Mark("restart", t.time(), null));
        }
        startedBefore = true;
      }
    }
    State current = all.isEmpty() ? State.IDLE : all.get(all.size() - 1).state();
    Instant first = all.isEmpty() ? now : all.get(0).time();
    return new Row(h.name(), h.group(), current, h.reconstructed(), h.dropped(), first, segments, marks);
  }

  private static Row clip(Row r, Instant since) {
    List<Segment> segments = new ArrayList<>(r.segments().size());
    for (Segment s : r.segments()) {
      if (s.to().isAfter(since) || s == r.segments().get(r.segments().size() - 1)) {
        segments.add(s.from().isBefore(since) ? new Segment(s.state(), since, s.to().isBefore(since) ? since : s.to()) : s);
      }
    }
    List<Mark> marks = r.marks().stream().filter(m -> !m.time().isBefore(since)).toList();
    return new Row(r.name(), r.group(), r.state(), r.reconstructed(), r.dropped(), r.first(), segments, marks);
  }

  static String json(Model m) {
    Json json = new Json().beginObject()
        .member("since", m.since())
        .member("now", m.now())
        .member("total", m.total())
        .member("offset", m.offset())
        .member("limit", m.limit());
    json.name("services").beginArray();
    for (Row r : m.rows()) {
      json.beginObject()
          .member("name", r.name())
          .member("group", r.group())
          .member("state", r.state().name())
          .member("reconstructed", r.reconstructed())
          .member("dropped", r.dropped())
          .member("registered", r.first());
      json.name("segments").beginArray();
      for (Segment s : r.segments()) {
        json.beginObject()
            .member("state", s.state() == null ? "UNKNOWN" : s.state().name())
            .member("from", s.from())
            .member("to", s.to())
            .endObject();
      }
      json.endArray().name("marks").beginArray();
      for (Mark k : r.marks()) {
        json.beginObject().member("kind", k.kind()).member("time", k.time()).member("message", k.message())
            .endObject();
      }
      json.endArray().endObject();
    }
    return json.endArray().endObject().toString();
  }

  /** A standalone SVG (its own style sheet, no script): every text is escaped. */
  static String svg(Model m) {
    double span = Math.max(1, m.now().toEpochMilli() - m.since().toEpochMilli());
    double width = LABEL_WIDTH + CHART_WIDTH + 20;
    double height = HEADER + Math.max(1, m.rows().size()) * ROW + 30;
    StringBuilder out = new StringBuilder(4096 + m.rows().size() * 400);
    out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"").append(num(width))
        .append("\" height=\"").append(num(height)).append("\" viewBox=\"0 0 ").append(num(width)).append(' ')
        .append(num(height)).append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
    out.append("<style>.s-IDLE{fill:#e3e3e3}.s-WAITING{fill:#c7c7c7}.s-STARTING{fill:#5b9bd5}"
        + ".s-RUNNING{fill:#3c9d4e}.s-STOPPING{fill:#f0ad4e}.s-STOPPED{fill:#8c8c8c}.s-BACKOFF{fill:#e8a317}"
        + ".s-FAILED{fill:#d9342b}.s-UNKNOWN{fill:#f4f4f4;stroke:#bbb;stroke-dasharray:2 2}"
        + ".mark-failure{stroke:#a00;stroke-width:2}.mark-restart{stroke:#124;stroke-width:1.5}"
        + ".tick{stroke:#ddd}.label{fill:#222}</style>\n");
    out.append("<text x=\"4\" y=\"14\" class=\"label\">").append(Xml.escape("since " + m.since() + ", "
        + m.rows().size() + " of " + m.total() + " services")).append("</text>\n");
    double step = tickStep(span);
    for (double t = 0; t <= span; t += step) {
      double x = LABEL_WIDTH + t / span * CHART_WIDTH;
      out.append("<line class=\"tick\" x1=\"").append(num(x)).append("\" y1=\"").append(num(HEADER - 6))
          .append("\" x2=\"").append(num(x)).append("\" y2=\"").append(num(height - 20)).append("\"/>")
          .append("<text x=\"").append(num(x + 2)).append("\" y=\"").append(num(HEADER - 8)).append("\">")
          .append(Xml.escape(label(t))).append("</text>\n");
    }
    double y = HEADER;
    for (Row r : m.rows()) {
      out.append("<g class=\"row\" data-name=\"").append(Xml.escape(r.name())).append("\">");
      String shown = r.name().length() > 40 ? r.name().substring(0, 39) + "\u2026" : r.name();
      out.append("<text class=\"label\" x=\"4\" y=\"").append(num(y + 13)).append("\">").append(Xml.escape(shown))
          .append("<title>").append(Xml.escape(r.name() + " (" + r.state() + ")")).append("</title></text>");
      for (Segment s : r.segments()) {
        double x1 = LABEL_WIDTH + (s.from().toEpochMilli() - m.since().toEpochMilli()) / span * CHART_WIDTH;
        double x2 = LABEL_WIDTH + (s.to().toEpochMilli() - m.since().toEpochMilli()) / span * CHART_WIDTH;
        String state = s.state() == null ? "UNKNOWN" : s.state().name();
        out.append("<rect class=\"seg s-").append(state).append("\" x=\"").append(num(x1)).append("\" y=\"")
            .append(num(y + 3)).append("\" width=\"").append(num(Math.max(1, x2 - x1))).append("\" height=\"")
            .append(num(ROW - 6)).append("\"><title>").append(Xml.escape(state + " " + label(
                s.to().toEpochMilli() - s.from().toEpochMilli()))).append("</title></rect>");
      }
      for (Mark k : r.marks()) {
        double x = LABEL_WIDTH + (k.time().toEpochMilli() - m.since().toEpochMilli()) / span * CHART_WIDTH;
        out.append("<line class=\"mark mark-").append(k.kind()).append("\" x1=\"").append(num(x)).append("\" y1=\"")
            .append(num(y + 1)).append("\" x2=\"").append(num(x)).append("\" y2=\"").append(num(y + ROW - 1))
            .append("\"><title>").append(Xml.escape(k.kind() + (k.message() == null ? "" : ": " + k.message())))
            .append("</title></line>");
      }
      out.append("</g>\n");
      y += ROW;
    }
    return out.append("</svg>\n").toString();
  }

  private static double tickStep(double spanMillis) {
    double[] steps = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000, 120_000,
        300_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 86_400_000};
    for (double s : steps) {
      if (spanMillis / s <= 10) {
        return s;
      }
    }
    return spanMillis / 10;
  }

  private static String label(double millis) {
    if (millis < 1000) {
      return String.format(Locale.ROOT, "%.0f ms", millis);
    }
    if (millis < 120_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000);
    }
    if (millis < 7_200_000) {
      return String.format(Locale.ROOT, "%.1f min", millis / 60_000);
    }
    return String.format(Locale.ROOT, "%.1f h", millis / 3_600_000);
  }

  private static String num(double d) {
    return String.format(Locale.ROOT, "%.1f", d);
  }
}
