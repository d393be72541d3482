package dev.supervisor.jmx;

import dev.supervisor.api.BootReport;
import java.time.Duration;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;

/**
 * A {@link BootReport} as open types, for {@link SupervisorMXBean#awaitStarted}: a {@link TabularData} of type
 * {@link #TYPE}, one row per service, indexed by name, so that JConsole shows it as a table and a client needs
 * no class of this product. Pure.
 */
final class BootReportTable {
  private static final String[] ITEMS = {"name", "group", "state", "timeToReadyMillis", "why"};

  /** The row: one service. */
  static final CompositeType ROW = row();
  /** The table: one row per service, indexed by {@code name}. */
  static final TabularType TYPE = table();

  private BootReportTable() {}

  /** @return one row per line of the report; {@code timeToReadyMillis} -1 and {@code why} "" when there is none */
  static TabularData of(BootReport report) {
    TabularData table = new TabularDataSupport(TYPE);
    for (BootReport.Line line : report.services()) {
      Object[] values = {line.name(), line.group(), line.state().name(),
          line.timeToReady().map(Duration::toMillis).orElse(-1L), line.why().orElse("")};
      try {
        table.put(new CompositeDataSupport(ROW, ITEMS, values));
      } catch (OpenDataException e) {
        throw new IllegalStateException("boot report row does not match its type: " + e.getMessage(), e);
      }
    }
    return table;
  }

  private static CompositeType row() {
    OpenType<?>[] types = {SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.LONG,
        SimpleType.STRING};
    String[] descriptions = {"the service's name", "its group's path (\"\" = the root group)",
        "its state when the report was made",
        "milliseconds its last start took to reach RUNNING; -1 if it never did",
        "why it is not running (failed and why, waiting on which dependencies, stopped by hand, backing off "
            + "until when); empty when it is RUNNING"};
    try {
      return new CompositeType("dev.supervisor.BootReportLine", "One service in the boot report", ITEMS,
          descriptions, types);
    } catch (OpenDataException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static TabularType table() {
    try {
      return new TabularType("dev.supervisor.BootReport", "Where start-up has got to: one row per service",
          ROW, new String[] {"name"});
    } catch (OpenDataException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
