package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.supervisor.api.Escalation;
import dev.supervisor.api.Failure;
import dev.supervisor.api.FailureKind;
import dev.supervisor.api.Readiness;
import dev.supervisor.api.RestartPolicy;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.api.Supervised;
import dev.supervisor.itest.workers.BlockingWorker;
import dev.supervisor.itest.workers.Registrations;
import dev.supervisor.itest.workers.StartupWorkers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.RuntimeMBeanException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * The bad-input matrix: every {@code supervisor.*} property with wrong values (wrong types, empty, negative,
 * zero, NaN and infinities, huge numbers, unknown enum names, arrays with null or duplicate entries, names of
 * 10,000 characters, control characters), each registered as a whiteboard service by the worker bundle.
 *
 * <p>Each row is either rejected (FAILED, last failure REJECTED, a message naming the service, the property
 * and the value; for a registration without a usable name: its service.id and bundle) or, where a sensible
 * reading exists, accepted, and the reading is checked on the effective spec (README, section Properties,
 * documents each). Through the whole matrix, long-running workers registered first keep RUNNING with their
 * start counts unchanged: checked after every row, so a row that disturbs them fails by its own name.
 */
class BadInputTest {

  private static final String KEEPER_A = "matrix.keeper.a";
  private static final String KEEPER_B = "matrix.keeper.b";
  private static final String KEEPER_C = "matrix.keeper.c";
  private static final String NAME_10K = "n".repeat(10_000);
  /**
   * Long.MAX_VALUE milliseconds as the message shows them: a duration is range-checked after it was read,
   * so the message gives its ISO-8601 reading rather than the digits as written (the same value, another form).
   */
  private static final String HUGE_MILLIS = Duration.ofMillis(Long.MAX_VALUE).toString();

  private static Supervisors supervisors;
  private static final List<ServiceRegistration<?>> keepers = new ArrayList<>();
  /** Start counts of the workers that must not notice the matrix, taken before it. */
  private static final Map<String, Long> untouched = new LinkedHashMap<>();

  @BeforeAll
  static void registerLongRunningWorkers() {
    supervisors = new Supervisors();
    keepers.add(Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, KEEPER_A)));
    keepers.add(Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, KEEPER_B,
        ServiceSpec.DEPENDS_ON, KEEPER_A)));
    keepers.add(Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, KEEPER_C,
        ServiceSpec.GROUP, "matrix/keepers", ServiceSpec.RESTART, "ALWAYS")));
    List<String> watched = new ArrayList<>(List.of(KEEPER_A, KEEPER_B, KEEPER_C));
    watched.addAll(List.of(StartupWorkers.CHAIN_A, StartupWorkers.CHAIN_B, StartupWorkers.CHAIN_C,
        StartupWorkers.DS));
    for (String name : watched) {
      untouched.put(name, supervisors.awaitState(name, State.RUNNING).startCount());
    }
  }

  @AfterAll
  static void unregisterLongRunningWorkers() {
    try {
      assertUntouched("after the whole matrix");
    } finally {
      keepers.forEach(ServiceRegistration::unregister);
      keepers.clear();
      supervisors.close();
    }
  }

  /** One registration: its properties (besides the worker), and the row's label. */
  record Row(String label, Map<String, Object> properties, String property, String shows) {
    @Override
    public String toString() {
      return label;
    }
  }

  /** A row whose value is rejected; {@code shows} is how the message must show the value. */
  private static Row bad(String property, Object value, String shows, Object... more) {
    String name = "matrix." + property.substring("supervisor.".length()) + "." + Integer.toHexString(
        Arrays.deepHashCode(new Object[] {value, shows, more}));
    Map<String, Object> properties = new HashMap<>();
    properties.put(ServiceSpec.NAME, name);
    properties.put(property, value);
    for (int i = 0; i < more.length; i += 2) {
      properties.put((String) more[i], more[i + 1]);
    }
    return new Row(property + " = " + label(value) + (more.length > 0 ? " with " + Arrays.toString(more) : ""),
        properties, property, shows);
  }

  private static Row bad(String property, Object value) {
    return bad(property, value, shown(value));
  }

  /** The value as the message shows it: arrays element by element, text with control characters escaped. */
  private static String shown(Object value) {
    if (value instanceof Object[] array) {
      return Arrays.deepToString(array);
    }
    if (value != null && value.getClass().isArray()) {
      return primitives(value);
    }
    if (value instanceof String text) {
      return '"' + text.chars().mapToObj(c -> Character.isISOControl(c) ? String.format("\\u%04x", c)
          : String.valueOf((char) c)).collect(Collectors.joining()) + '"';
    }
    return String.valueOf(value);
  }

  /** A primitive array element by element, as the message shows it. */
  private static String primitives(Object array) {
    return java.util.stream.IntStream.range(0, java.lang.reflect.Array.getLength(array))
        .mapToObj(i -> String.valueOf(java.lang.reflect.Array.get(array, i)))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static String label(Object value) {
    String text = value instanceof Object[] array ? Arrays.deepToString(array)
        : value != null && value.getClass().isArray() ? value.getClass().getComponentType() + primitives(value)
        : String.valueOf(value);
    text = text.chars().mapToObj(c -> Character.isISOControl(c) ? String.format("\\u%04x", c)
        : String.valueOf((char) c)).collect(Collectors.joining());
    text = text.length() > 40 ? text.substring(0, 20) + "...(" + text.length() + " chars)" : text;
    return (value instanceof String ? '"' + text + '"' : text)
        + (value == null ? "" : " (" + value.getClass().getSimpleName() + ")");
  }

  static List<Row> rejectedValues() {
    return List.of(
        // supervisor.dependsOn
        bad(ServiceSpec.DEPENDS_ON, 5),
        bad(ServiceSpec.DEPENDS_ON, ""),
        bad(ServiceSpec.DEPENDS_ON, new String[] {KEEPER_A, null}),
        bad(ServiceSpec.DEPENDS_ON, new String[] {KEEPER_A, ""}),
        bad(ServiceSpec.DEPENDS_ON, new String[] {KEEPER_A, KEEPER_A}),
        bad(ServiceSpec.DEPENDS_ON, new Integer[] {1, 2}),
        bad(ServiceSpec.DEPENDS_ON, new long[] {1L}),
        bad(ServiceSpec.DEPENDS_ON, Boolean.TRUE),
        // supervisor.restart
        bad(ServiceSpec.RESTART, "SOMETIMES"),
        bad(ServiceSpec.RESTART, ""),
        bad(ServiceSpec.RESTART, 1L),
        bad(ServiceSpec.RESTART, Readiness.AUTO),
        bad(ServiceSpec.RESTART, "ALWAYS\u0000"),
        bad(ServiceSpec.RESTART, new String[] {"ALWAYS", "NEVER"}),
        bad(ServiceSpec.RESTART, new String[] {"SOMETIMES"}, "\"SOMETIMES\""),
        bad(ServiceSpec.RESTART, new String[] {null}),
        // supervisor.autoStart
        bad(ServiceSpec.AUTO_START, "yes"),
        bad(ServiceSpec.AUTO_START, ""),
        bad(ServiceSpec.AUTO_START, 1),
        bad(ServiceSpec.AUTO_START, "t"),
        bad(ServiceSpec.AUTO_START, new Boolean[] {true, false}),
        // supervisor.restartDelay
        bad(ServiceSpec.RESTART_DELAY, "PT-5S"),
        bad(ServiceSpec.RESTART_DELAY, -1),
        bad(ServiceSpec.RESTART_DELAY, Long.MIN_VALUE),
        bad(ServiceSpec.RESTART_DELAY, Long.MAX_VALUE, HUGE_MILLIS),
        bad(ServiceSpec.RESTART_DELAY, "PT1000000H", "PT1000000H"),
        bad(ServiceSpec.RESTART_DELAY, "99999999999999999999"),
        bad(ServiceSpec.RESTART_DELAY, 1e300),
        bad(ServiceSpec.RESTART_DELAY, "1e300"),
        bad(ServiceSpec.RESTART_DELAY, Double.NaN),
        bad(ServiceSpec.RESTART_DELAY, Double.POSITIVE_INFINITY),
        bad(ServiceSpec.RESTART_DELAY, 500.0),
        bad(ServiceSpec.RESTART_DELAY, ""),
        bad(ServiceSpec.RESTART_DELAY, "soon"),
        bad(ServiceSpec.RESTART_DELAY, Boolean.TRUE),
        bad(ServiceSpec.RESTART_DELAY, new String[] {"PT1S", "PT2S"}),
        bad(ServiceSpec.RESTART_DELAY, new String[] {"PT-5S"}, "\"PT-5S\""),
        bad(ServiceSpec.RESTART_DELAY, List.of("PT1S", "PT2S"), "[PT1S, PT2S]"),
        // supervisor.maxRestartDelay
        bad(ServiceSpec.MAX_RESTART_DELAY, "PT0.05S", "PT0.05S", ServiceSpec.RESTART_DELAY, "PT1S"),
        bad(ServiceSpec.MAX_RESTART_DELAY, 0, "PT0S"),
        bad(ServiceSpec.MAX_RESTART_DELAY, -30_000),
        bad(ServiceSpec.MAX_RESTART_DELAY, Long.MAX_VALUE, HUGE_MILLIS),
        bad(ServiceSpec.MAX_RESTART_DELAY, Duration.ofDays(365L * 1000)),
        // supervisor.backoffMultiplier
        bad(ServiceSpec.BACKOFF_MULTIPLIER, 0.5),
        bad(ServiceSpec.BACKOFF_MULTIPLIER, 0),
        bad(ServiceSpec.BACKOFF_MULTIPLIER, -2.0),
        bad(ServiceSpec.BACKOFF_MULTIPLIER, Double.NaN),
        bad(ServiceSpec.BACKOFF_MULTIPLIER, Double.POSITIVE_INFINITY),
        bad(ServiceSpec.BACKOFF_MULTIPLIER, Double.NEGATIVE_INFINITY),
        bad(ServiceSpec.BACKOFF_MULTIPLIER, "NaN", "NaN"),
        bad(ServiceSpec.BACKOFF_MULTIPLIER, "Infinity", "Infinity"),
        bad(ServiceSpec.BACKOFF_MULTIPLIER, "abc"),
        bad(ServiceSpec.BACKOFF_MULTIPLIER, ""),
        bad(ServiceSpec.BACKOFF_MULTIPLIER, Boolean.TRUE),
        // supervisor.jitter
        bad(ServiceSpec.JITTER, 1.5),
        bad(ServiceSpec.JITTER, -0.1),
        bad(ServiceSpec.JITTER, Double.NaN),
        bad(ServiceSpec.JITTER, Double.POSITIVE_INFINITY),
        bad(ServiceSpec.JITTER, 1e300),
        bad(ServiceSpec.JITTER, "lots"),
        bad(ServiceSpec.JITTER, new Double[] {0.1, 0.2}),
        bad(ServiceSpec.JITTER, new double[] {0.1, 0.2}, "[0.1, 0.2]"),
        // supervisor.maxRestarts
        bad(ServiceSpec.MAX_RESTARTS, -1),
        bad(ServiceSpec.MAX_RESTARTS, Integer.MIN_VALUE),
        bad(ServiceSpec.MAX_RESTARTS, Long.MAX_VALUE),
        bad(ServiceSpec.MAX_RESTARTS, Long.MIN_VALUE),
        bad(ServiceSpec.MAX_RESTARTS, 3.0),
        bad(ServiceSpec.MAX_RESTARTS, 1e300),
        bad(ServiceSpec.MAX_RESTARTS, Double.NaN),
        bad(ServiceSpec.MAX_RESTARTS, "3.5"),
        bad(ServiceSpec.MAX_RESTARTS, "1e3"),
        bad(ServiceSpec.MAX_RESTARTS, ""),
        bad(ServiceSpec.MAX_RESTARTS, new Integer[] {1, 2}),
        // supervisor.restartWindow
        bad(ServiceSpec.RESTART_WINDOW, 0, "PT0S"),
        bad(ServiceSpec.RESTART_WINDOW, "PT0S", "PT0S"),
        bad(ServiceSpec.RESTART_WINDOW, -1),
        bad(ServiceSpec.RESTART_WINDOW, Long.MAX_VALUE, HUGE_MILLIS),
        bad(ServiceSpec.RESTART_WINDOW, "forever"),
        // supervisor.maxRestartsInWindow
        bad(ServiceSpec.MAX_RESTARTS_IN_WINDOW, -1),
        bad(ServiceSpec.MAX_RESTARTS_IN_WINDOW, Long.MAX_VALUE),
        bad(ServiceSpec.MAX_RESTARTS_IN_WINDOW, "many"),
        // supervisor.readyTimeout
        bad(ServiceSpec.READY_TIMEOUT, 0, "PT0S"),
        bad(ServiceSpec.READY_TIMEOUT, "PT-1S"),
        bad(ServiceSpec.READY_TIMEOUT, Long.MAX_VALUE, HUGE_MILLIS),
        bad(ServiceSpec.READY_TIMEOUT, Double.NaN),
        // supervisor.stopTimeout
        bad(ServiceSpec.STOP_TIMEOUT, 0, "PT0S"),
        bad(ServiceSpec.STOP_TIMEOUT, Duration.ZERO),
        bad(ServiceSpec.STOP_TIMEOUT, Duration.ofDays(365L * 1000)),
        bad(ServiceSpec.STOP_TIMEOUT, Long.MAX_VALUE, HUGE_MILLIS),
        bad(ServiceSpec.STOP_TIMEOUT, ""),
        // supervisor.readiness
        bad(ServiceSpec.READINESS, "MANUAL"),
        bad(ServiceSpec.READINESS, 1L),
        bad(ServiceSpec.READINESS, RestartPolicy.ALWAYS),
        bad(ServiceSpec.READINESS, ""),
        // supervisor.missingDependencyGrace
        bad(ServiceSpec.MISSING_DEPENDENCY_GRACE, 0, "PT0S"),
        bad(ServiceSpec.MISSING_DEPENDENCY_GRACE, "PT0S", "PT0S"),
        bad(ServiceSpec.MISSING_DEPENDENCY_GRACE, "PT-30S"),
        bad(ServiceSpec.MISSING_DEPENDENCY_GRACE, -1),
        bad(ServiceSpec.MISSING_DEPENDENCY_GRACE, Long.MAX_VALUE, HUGE_MILLIS),
        bad(ServiceSpec.MISSING_DEPENDENCY_GRACE, Double.NaN),
        bad(ServiceSpec.MISSING_DEPENDENCY_GRACE, "soon"),
        bad(ServiceSpec.MISSING_DEPENDENCY_GRACE, ""),
        bad(ServiceSpec.MISSING_DEPENDENCY_GRACE, new String[] {"PT1S", "PT2S"}),
        // supervisor.significant
        bad(ServiceSpec.SIGNIFICANT, "yes"),
        bad(ServiceSpec.SIGNIFICANT, ""),
        bad(ServiceSpec.SIGNIFICANT, 1),
        bad(ServiceSpec.SIGNIFICANT, new Boolean[] {true, false}),
        // supervisor.escalate
        bad(ServiceSpec.ESCALATE, "RESTART_BUNDLE"),
        bad(ServiceSpec.ESCALATE, ""),
        bad(ServiceSpec.ESCALATE, true),
        bad(ServiceSpec.ESCALATE, RestartPolicy.NEVER),
        bad(ServiceSpec.ESCALATE, new String[] {"REFRESH_BUNDLE", "NONE"}),
        // supervisor.group
        bad(ServiceSpec.GROUP, "/abs"),
        bad(ServiceSpec.GROUP, "a//b"),
        bad(ServiceSpec.GROUP, "a/"),
        bad(ServiceSpec.GROUP, "/"),
        bad(ServiceSpec.GROUP, 1),
        bad(ServiceSpec.GROUP, "a\u0007b"),
        bad(ServiceSpec.GROUP, new String[] {"a", "b"}));
  }

  /**
   * Values that are rejected for reasons other than the value's own form: the message names the service,
   * the property and the value all the same.
   */
  static List<Row> rejectedRelations() {
    Map<String, Object> self = Map.of(ServiceSpec.NAME, "matrix.self", ServiceSpec.DEPENDS_ON, "matrix.self");
    Map<String, Object> taken = Map.of(ServiceSpec.NAME, KEEPER_A);
    return List.of(
        new Row("dependsOn itself", self, ServiceSpec.DEPENDS_ON, "matrix.self"),
        new Row("name of a running service (" + KEEPER_A + ")", taken, ServiceSpec.NAME, KEEPER_A));
  }

  @TestFactory
  Stream<DynamicTest> badValuesAreRejectedNamingServicePropertyAndValue() {
    return Stream.concat(rejectedValues().stream(), rejectedRelations().stream())
        .map(row -> dynamicTest(row.label(), () -> {
          String name = (String) row.properties().get(ServiceSpec.NAME);
          Rejection rejection = registerRejected(row);
          try {
            String message = rejection.failure().message();
            for (String part : List.of("'" + name + "'", row.property(), row.shows())) {
              assertTrue(message.contains(part), () -> row + ": the message must name " + part + ": " + message);
            }
          } finally {
            rejection.withdraw();
          }
          assertUntouched("after row " + row);
        }));
  }

  /**
   * Registrations without a usable name: the message names the service id and the registering bundle
   * (there is no name to show, or the one given cannot be shown as it is), the property and the value.
   */
  @TestFactory
  Stream<DynamicTest> registrationsWithoutAUsableNameAreIdentifiedByServiceIdAndBundle() {
    Map<String, Object> noName = new HashMap<>();
    noName.put(ServiceSpec.RESTART, "ALWAYS");
    List<Row> rows = List.of(
        new Row("no supervisor.name", noName, ServiceSpec.NAME, "null"),
        nameRow(42, "42"),
        nameRow(new String[] {"matrix.array"}, "[matrix.array]"),
        nameRow(Boolean.TRUE, "true"),
        nameRow("", "\"\""),
        nameRow(" matrix.padded ", "\" matrix.padded \""),
        nameRow("matrix\nline", "matrix\\u000aline"),
        nameRow("matrix\u0000nul", "matrix\\u0000nul"),
        nameRow("matrix\u007fdel", "matrix\\u007fdel"),
        nameRow("m".repeat(ServiceSpec.MAX_NAME_LENGTH + 1), "(1025 chars)"),
        nameRow(NAME_10K, "(10000 chars)"));
    return rows.stream().map(row -> dynamicTest(row.label(), () -> {
      Rejection rejection = registerRejected(row);
      try {
        String message = rejection.failure().message();
        assertTrue(message.length() < 1000, () -> row + ": a huge value must be shortened in the message: "
            + message.length() + " chars");
        assertTrue(message.chars().noneMatch(Character::isISOControl),
            () -> row + ": control characters must be escaped: " + message);
        for (String part : List.of("service.id=" + rejection.serviceId(), Osgi.WORKERS_BUNDLE, row.property(),
            row.shows())) {
          assertTrue(message.contains(part), () -> row + ": the message must name " + part + ": " + message);
        }
      } finally {
        rejection.withdraw();
      }
      assertUntouched("after row " + row);
    }));
  }

  private static Row nameRow(Object name, String shows) {
    return new Row(ServiceSpec.NAME + " = " + label(name), Map.of(ServiceSpec.NAME, name), ServiceSpec.NAME,
        shows);
  }

  /** A row whose value has a sensible reading: accepted, and the reading checked on the effective spec. */
  record Accepted(String label, Map<String, Object> properties, State state, Predicate<ServiceSpec> reading) {
    @Override
    public String toString() {
      return label;
    }
  }

  private static Accepted ok(String label, Object name, State state, Predicate<ServiceSpec> reading,
      Object... properties) {
    Map<String, Object> map = new HashMap<>();
    map.put(ServiceSpec.NAME, name);
    for (int i = 0; i < properties.length; i += 2) {
      map.put((String) properties[i], properties[i + 1]);
    }
    return new Accepted(label, map, state, reading);
  }

  static List<Accepted> acceptedValues() {
    String kilo = "k".repeat(ServiceSpec.MAX_NAME_LENGTH);
    return List.of(
        ok("non-ASCII name", "größe-日本", State.RUNNING, s -> s.name().equals("größe-日本")),
        ok("name with the characters JMX quotes", "matrix.a,b=c:d*e?f \"q\"\\", State.RUNNING, s -> true),
        ok("name of exactly 1024 characters", kilo, State.RUNNING, s -> s.name().length() == 1024),
        ok("restart in lower case", "matrix.ok.restart.lower", State.RUNNING,
            s -> s.restart() == RestartPolicy.ALWAYS, ServiceSpec.RESTART, "always"),
        ok("restart padded with blanks", "matrix.ok.restart.padded", State.RUNNING,
            s -> s.restart() == RestartPolicy.NEVER, ServiceSpec.RESTART, " never\t"),
        ok("restart as the enum itself", "matrix.ok.restart.enum", State.RUNNING,
            s -> s.restart() == RestartPolicy.ALWAYS, ServiceSpec.RESTART, RestartPolicy.ALWAYS),
        ok("autoStart \"FALSE\" (any case)", "matrix.ok.autostart.text", State.IDLE,
            s -> !s.autoStart(), ServiceSpec.AUTO_START, "FALSE"),
        ok("autoStart Boolean.FALSE", "matrix.ok.autostart.boolean", State.IDLE,
            s -> !s.autoStart(), ServiceSpec.AUTO_START, Boolean.FALSE),
        ok("restartDelay 0 = restart at once", "matrix.ok.delay.zero", State.RUNNING,
            s -> s.restartDelay().isZero(), ServiceSpec.RESTART_DELAY, 0),
        ok("restartDelay as text millis", "matrix.ok.delay.text", State.RUNNING,
            s -> s.restartDelay().equals(Duration.ofMillis(500)), ServiceSpec.RESTART_DELAY, "500"),
        ok("restartDelay as a Long", "matrix.ok.delay.long", State.RUNNING,
            s -> s.restartDelay().equals(Duration.ofMillis(500)), ServiceSpec.RESTART_DELAY, 500L),
        ok("restartDelay as a java.time.Duration", "matrix.ok.delay.duration", State.RUNNING,
            s -> s.restartDelay().equals(Duration.ofSeconds(2)), ServiceSpec.RESTART_DELAY, Duration.ofSeconds(2)),
        ok("restartDelay = maxRestartDelay = 100 years", "matrix.ok.delay.century", State.RUNNING,
            s -> s.restartDelay().equals(Duration.ofDays(36_500)), ServiceSpec.RESTART_DELAY, "P36500D",
            ServiceSpec.MAX_RESTART_DELAY, "P36500D"),
        ok("backoffMultiplier 1e300 (capped by maxRestartDelay)", "matrix.ok.multiplier.huge", State.RUNNING,
            s -> s.backoffMultiplier() == 1e300, ServiceSpec.BACKOFF_MULTIPLIER, 1e300),
        ok("backoffMultiplier as text", "matrix.ok.multiplier.text", State.RUNNING,
            s -> s.backoffMultiplier() == 1.5, ServiceSpec.BACKOFF_MULTIPLIER, " 1.5 "),
        ok("backoffMultiplier as an Integer", "matrix.ok.multiplier.int", State.RUNNING,
            s -> s.backoffMultiplier() == 1.0, ServiceSpec.BACKOFF_MULTIPLIER, 1),
        ok("jitter 1 (Integer)", "matrix.ok.jitter.one", State.RUNNING, s -> s.jitter() == 1.0,
            ServiceSpec.JITTER, 1),
        ok("jitter 0", "matrix.ok.jitter.zero", State.RUNNING, s -> s.jitter() == 0.0, ServiceSpec.JITTER, 0.0f),
        ok("maxRestarts Integer.MAX_VALUE", "matrix.ok.maxrestarts.max", State.RUNNING,
            s -> s.maxRestarts() == Integer.MAX_VALUE, ServiceSpec.MAX_RESTARTS, Integer.MAX_VALUE),
        ok("maxRestarts as text", "matrix.ok.maxrestarts.text", State.RUNNING, s -> s.maxRestarts() == 7,
            ServiceSpec.MAX_RESTARTS, "7"),
        ok("maxRestartsInWindow as a Short", "matrix.ok.inwindow.short", State.RUNNING,
            s -> s.maxRestartsInWindow() == 3, ServiceSpec.MAX_RESTARTS_IN_WINDOW, (short) 3),
        ok("dependsOn an empty String[] = none", "matrix.ok.depends.empty", State.RUNNING,
            s -> s.dependsOn().isEmpty(), ServiceSpec.DEPENDS_ON, new String[0]),
        ok("dependsOn a collection", "matrix.ok.depends.list", State.RUNNING,
            s -> s.dependsOn().equals(List.of(KEEPER_A, KEEPER_C)), ServiceSpec.DEPENDS_ON,
            new ArrayList<>(List.of(KEEPER_A, KEEPER_C))),
        ok("dependsOn a name nobody registered: waits", "matrix.ok.depends.missing", State.WAITING,
            s -> s.dependsOn().equals(List.of("matrix.nobody")), ServiceSpec.DEPENDS_ON, "matrix.nobody"),
        ok("dependsOn a 10,000-character name: waits (no such service can exist)", "matrix.ok.depends.10k",
            State.WAITING, s -> s.dependsOn().equals(List.of(NAME_10K)), ServiceSpec.DEPENDS_ON, NAME_10K),
        ok("group with non-ASCII segments", "matrix.ok.group.unicode", State.RUNNING,
            s -> s.group().equals("größe/日本"), ServiceSpec.GROUP, "größe/日本"),
        ok("group \"\" = the root group", "matrix.ok.group.root", State.RUNNING, s -> s.group().isEmpty(),
            ServiceSpec.GROUP, ""),
        ok("readiness in lower case", "matrix.ok.readiness.lower", State.RUNNING,
            s -> s.readiness() == Readiness.EXPLICIT, ServiceSpec.READINESS, "explicit"),
        ok("escalate in lower case, padded", "matrix.ok.escalate.lower", State.RUNNING,
            s -> s.escalate() == Escalation.REFRESH_BUNDLE, ServiceSpec.ESCALATE, " refresh_bundle "),
        ok("escalate as the enum itself", "matrix.ok.escalate.enum", State.RUNNING,
            s -> s.escalate() == Escalation.NONE, ServiceSpec.ESCALATE, Escalation.NONE),
        ok("readyTimeout ISO-8601 in days", "matrix.ok.ready.days", State.RUNNING,
            s -> s.readyTimeout().equals(Duration.ofDays(2)), ServiceSpec.READY_TIMEOUT, "P2D"),
        ok("missingDependencyGrace as text millis", "matrix.ok.grace.text", State.RUNNING,
            s -> s.missingDependencyGrace().equals(Duration.ofMillis(1500)), ServiceSpec.MISSING_DEPENDENCY_GRACE,
            "1500"),
        ok("missingDependencyGrace in lower case", "matrix.ok.grace.lower", State.RUNNING,
            s -> s.missingDependencyGrace().equals(Duration.ofMinutes(5)), ServiceSpec.MISSING_DEPENDENCY_GRACE,
            "pt5m"),
        // Issue 14: one value in an array or collection is that value (DS gives @SupervisedService's
        // elements so); an empty one is no value, so the default applies.
        ok("restart as a String[] of one", "matrix.ok.restart.array", State.RUNNING,
            s -> s.restart() == RestartPolicy.ALWAYS, ServiceSpec.RESTART, new String[] {"ALWAYS"}),
        ok("escalate as a String[] of one", "matrix.ok.escalate.array", State.RUNNING,
            s -> s.escalate() == Escalation.REFRESH_BUNDLE, ServiceSpec.ESCALATE, new String[] {"REFRESH_BUNDLE"}),
        ok("group as a String[] of one", "matrix.ok.group.array", State.RUNNING, s -> s.group().equals("a"),
            ServiceSpec.GROUP, new String[] {"a"}),
        ok("jitter as a double[] of one", "matrix.ok.jitter.array", State.RUNNING, s -> s.jitter() == 0.0,
            ServiceSpec.JITTER, new double[] {0.0}),
        ok("restartDelay as a list of one Long", "matrix.ok.delay.list", State.RUNNING,
            s -> s.restartDelay().equals(Duration.ofMillis(500)), ServiceSpec.RESTART_DELAY, List.of(500L)),
        ok("autoStart as a Boolean[] of one", "matrix.ok.autostart.array", State.IDLE, s -> !s.autoStart(),
            ServiceSpec.AUTO_START, new Boolean[] {false}),
        ok("restart as an empty String[] = the default", "matrix.ok.restart.empty", State.RUNNING,
            s -> s.restart() == RestartPolicy.ON_FAILURE, ServiceSpec.RESTART, new String[0]),
        ok("maxRestarts as an empty int[] = the default", "matrix.ok.maxrestarts.empty", State.RUNNING,
            s -> s.maxRestarts() == 0, ServiceSpec.MAX_RESTARTS, new int[0]),
        ok("unknown supervisor.* key (a typo): logged, ignored", "matrix.ok.typo", State.RUNNING,
            s -> s.restartDelay().equals(Duration.ofMillis(100)), "supervisor.restartDelai", "PT-5S"),
        ok("other keys of any type are ignored", "matrix.ok.other", State.RUNNING, s -> true,
            "matrix.private", new Object()));
  }

  @TestFactory
  Stream<DynamicTest> valuesWithASensibleReadingAreAccepted() {
    return acceptedValues().stream().map(row -> dynamicTest(row.label(), () -> {
      String name = (String) row.properties().get(ServiceSpec.NAME);
      ServiceRegistration<Supervised> registration = Registrations.whiteboard(new BlockingWorker(),
          row.properties());
      try {
        ServiceInfo info = supervisors.awaitState(name, row.state());
        assertTrue(info.lastFailure().isEmpty(), () -> row + ": " + Supervisors.describe(info));
        assertTrue(row.reading().test(info.spec()), () -> row + ": unexpected reading " + info.spec());
      } finally {
        registration.unregister();
      }
      supervisors.awaitGone(name);
      assertUntouched("after row " + row);
    }));
  }

  /**
   * Bad arguments of the supervisor MBean's {@code awaitStarted(timeoutMillis)}, through a real remote connector:
   * refused with an IllegalArgumentException naming the argument and the value (a JDK class, so a client
   * without the product's classes reads it); nothing else disturbed. The shell's {@code supervisor:boot
   * --timeout} rows are in supervisor.shell's GogoCommandsTest (the shell is not among this framework's bundles).
   */
  @TestFactory
  Stream<DynamicTest> badJmxArgumentsAreRefusedNamingTheArgumentAndTheValue() {
    return Stream.of(-1L, -60_000L, Long.MIN_VALUE).map(timeout -> dynamicTest("awaitStarted(" + timeout + ")",
        () -> {
          try (JmxClient jmx = new JmxClient()) {
            RuntimeMBeanException refused = assertThrows(RuntimeMBeanException.class, () -> jmx.connection()
                .invoke(JmxClient.SUPERVISOR, "awaitStarted", new Object[] {timeout}, new String[] {"long"}));
            JmxClient.assertNoProductClass(refused.getCause());
            assertEquals(IllegalArgumentException.class, refused.getCause().getClass());
            assertEquals("awaitStarted: timeoutMillis must be 0 or more, got " + timeout,
                refused.getCause().getMessage());
          }
          assertUntouched("after awaitStarted(" + timeout + ")");
        }));
  }

  /** The rejected entry of one registration, and how to withdraw it. */
  record Rejection(ServiceRegistration<Supervised> registration, long serviceId, ServiceInfo info) {
    Failure failure() {
      return info.lastFailure().orElseThrow();
    }

    void withdraw() {
      registration.unregister();
      Await.until("the rejected entry " + info.name() + " removed with its service",
          () -> supervisors.get().services().stream().filter(i -> i.id() == info.id()).findFirst(),
          Optional::isEmpty);
    }
  }

  /** Registers the row's service and returns the FAILED/REJECTED entry that appeared for it. */
  private static Rejection registerRejected(Object row, Map<String, Object> properties) {
    Set<Long> before = supervisors.get().services().stream().map(ServiceInfo::id).collect(Collectors.toSet());
    ServiceRegistration<Supervised> registration = Registrations.whiteboard(new BlockingWorker(), properties);
    long serviceId = (Long) registration.getReference().getProperty(Constants.SERVICE_ID);
    ServiceInfo info;
    try {
      info = Await.until(row + ": a new entry", () -> supervisors.get().services().stream()
          .filter(i -> !before.contains(i.id())).findFirst(), Optional::isPresent,
          seen -> supervisors.describeAll()).orElseThrow();
      ServiceInfo entry = info;
      assertEquals(State.FAILED, entry.state(), () -> row + " was accepted: " + Supervisors.describe(entry));
      Failure failure = entry.lastFailure().orElseThrow(() -> new AssertionError(row + ": FAILED without a "
          + "failure: " + Supervisors.describe(entry)));
      assertEquals(FailureKind.REJECTED, failure.kind(), () -> row + ": " + failure);
      assertTrue(entry.owner().contains(Osgi.WORKERS_BUNDLE), () -> row + ": owner " + entry.owner());
      assertEquals(0, entry.startCount(), () -> row + ": a rejected worker must never run");
    } catch (AssertionError | RuntimeException e) {
      registration.unregister();
      throw e;
    }
    return new Rejection(registration, serviceId, info);
  }

  private static Rejection registerRejected(Row row) {
    return registerRejected(row, row.properties());
  }

  private static void assertUntouched(String when) {
    for (Map.Entry<String, Long> worker : untouched.entrySet()) {
      ServiceInfo info = supervisors.info(worker.getKey()).orElseThrow(
          () -> new AssertionError(worker.getKey() + " gone " + when + "; all: " + supervisors.describeAll()));
      assertEquals(State.RUNNING, info.state(), () -> worker.getKey() + " disturbed " + when + ": "
          + Supervisors.describe(info));
      assertEquals(worker.getValue(), info.startCount(), () -> worker.getKey() + " restarted " + when + ": "
          + Supervisors.describe(info));
    }
  }
}
