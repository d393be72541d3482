package dev.supervisor.impl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.Escalation;
import dev.supervisor.api.Readiness;
import dev.supervisor.api.RestartPolicy;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.SupervisorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class SpecPropertiesTest {

  private static Map<String, Object> props(Object... keyValues) {
    Map<String, Object> map = new HashMap<>();
    map.put(ServiceSpec.NAME, "svc");
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put((String) keyValues[i], keyValues[i + 1]);
    }
    return map;
  }

  @Test
  void readsEveryPropertyInItsAcceptedForms() {
    List<String> warnings = new ArrayList<>();
    ServiceSpec spec = SpecProperties.parse(props(
        ServiceSpec.DEPENDS_ON, new String[] {"a", "b"},
        ServiceSpec.RESTART, "always",
        ServiceSpec.AUTO_START, "false",
        ServiceSpec.RESTART_DELAY, "PT0.25S",
        ServiceSpec.MAX_RESTART_DELAY, 5000L,
        ServiceSpec.BACKOFF_MULTIPLIER, "1.5",
        ServiceSpec.JITTER, 0.0,
        ServiceSpec.MAX_RESTARTS, "7",
        ServiceSpec.RESTART_WINDOW, "120000",
        ServiceSpec.MAX_RESTARTS_IN_WINDOW, 3,
        ServiceSpec.READY_TIMEOUT, Duration.ofSeconds(2),
        ServiceSpec.STOP_TIMEOUT, "PT1S",
        ServiceSpec.READINESS, Readiness.EXPLICIT,
        ServiceSpec.GROUP, "ingest/kafka",
        ServiceSpec.ESCALATE, " refresh_bundle",
        "supervisor.restartdelay", "typo",
        "service.id", 42L), warnings::add);
    assertEquals(List.of("a", "b"), spec.dependsOn());
    assertEquals(RestartPolicy.ALWAYS, spec.restart());
    assertEquals(false, spec.autoStart());
    assertEquals(Duration.ofMillis(250), spec.restartDelay());
    assertEquals(Duration.ofSeconds(5), spec.maxRestartDelay());
    assertEquals(1.5, spec.backoffMultiplier());
    assertEquals(7, spec.maxRestarts());
    assertEquals(Duration.ofMinutes(2), spec.restartWindow());
    assertEquals(3, spec.maxRestartsInWindow());
    assertEquals(Duration.ofSeconds(2), spec.readyTimeout());
    assertEquals(Duration.ofSeconds(1), spec.stopTimeout());
    assertEquals(Readiness.EXPLICIT, spec.readiness());
    assertEquals("ingest/kafka", spec.group());
    assertEquals(Escalation.REFRESH_BUNDLE, spec.escalate());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("supervisor.restartdelay"), warnings.toString());
  }

  @Test
  void defaultsFillWhatIsNotGiven() {
    ServiceSpec spec = SpecProperties.parse(props(), w -> {});
    assertEquals(ServiceSpec.builder("svc").build(), spec);
    assertEquals(Duration.ofMillis(100), spec.restartDelay());
    assertEquals(RestartPolicy.ON_FAILURE, spec.restart());
  }

  static List<Arguments> badValues() {
    return List.of(
        Arguments.of(ServiceSpec.RESTART, "SOMETIMES"),
        Arguments.of(ServiceSpec.RESTART, 3),
        Arguments.of(ServiceSpec.AUTO_START, "yes"),
        Arguments.of(ServiceSpec.RESTART_DELAY, "-5s"),
        Arguments.of(ServiceSpec.RESTART_DELAY, "PT-5S"),
        Arguments.of(ServiceSpec.RESTART_DELAY, -5),
        Arguments.of(ServiceSpec.RESTART_DELAY, 1.5),
        Arguments.of(ServiceSpec.MAX_RESTART_DELAY, "PT0.01S"),
        Arguments.of(ServiceSpec.BACKOFF_MULTIPLIER, Double.NaN),
        Arguments.of(ServiceSpec.BACKOFF_MULTIPLIER, Double.POSITIVE_INFINITY),
        Arguments.of(ServiceSpec.BACKOFF_MULTIPLIER, 0.5),
        Arguments.of(ServiceSpec.JITTER, 2.0),
        Arguments.of(ServiceSpec.MAX_RESTARTS, -1),
        Arguments.of(ServiceSpec.MAX_RESTARTS, 99_999_999_999L),
        Arguments.of(ServiceSpec.MAX_RESTARTS, "many"),
        Arguments.of(ServiceSpec.RESTART_WINDOW, 0),
        Arguments.of(ServiceSpec.READY_TIMEOUT, "PT0S"),
        Arguments.of(ServiceSpec.STOP_TIMEOUT, Duration.ofDays(365L * 1000)),
        Arguments.of(ServiceSpec.READINESS, "LATER"),
        Arguments.of(ServiceSpec.DEPENDS_ON, new String[] {"a", null}),
        Arguments.of(ServiceSpec.DEPENDS_ON, new String[] {""}),
        Arguments.of(ServiceSpec.DEPENDS_ON, 17),
        Arguments.of(ServiceSpec.GROUP, "/abs"),
        Arguments.of(ServiceSpec.GROUP, 5),
        Arguments.of(ServiceSpec.ESCALATE, "RESTART_BUNDLE"),
        Arguments.of(ServiceSpec.ESCALATE, true),
        // Issue 14: a scalar key takes an array or a collection of one value (what DS gives for an element of
        // @SupervisedService), never of more.
        Arguments.of(ServiceSpec.RESTART, new String[] {"ALWAYS", "NEVER"}),
        Arguments.of(ServiceSpec.JITTER, new Double[] {0.1, 0.2}),
        Arguments.of(ServiceSpec.AUTO_START, List.of(true, false)),
        Arguments.of(ServiceSpec.RESTART_DELAY, new String[] {null}),
        Arguments.of(ServiceSpec.MAX_RESTARTS, new int[] {1, 2}),
        Arguments.of(ServiceSpec.RESTART_DELAY, new String[] {"PT-1S"}),
        Arguments.of(ServiceSpec.READINESS, new String[] {"LATER"}));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("badValues")
  void aBadValueIsRejectedNamingTheServiceThePropertyAndTheValue(String key, Object value) {
    SupervisorException error = assertThrows(SupervisorException.class,
        () -> SpecProperties.parse(props(key, value), w -> {}));
    assertEquals(SupervisorException.Kind.INVALID_PROPERTY, error.kind(), error.getMessage());
    assertTrue(error.getMessage().contains("'svc'"), error.getMessage());
    assertTrue(error.getMessage().contains(key), error.getMessage());
    assertEquals(key, error.property().orElseThrow());
    String shown = value instanceof String[] one && one.length == 1 && one[0] != null ? one[0]
        : value instanceof Object[] array ? java.util.Arrays.toString(array)
        : value instanceof int[] ints ? java.util.Arrays.toString(ints) : String.valueOf(value);
    assertTrue(error.getMessage().contains(shown), error.getMessage() + " should show " + shown);
  }

  @Test
  void aScalarKeyTakesOneValueInAnArrayOrCollectionAndAnEmptyOneIsUnset() {
    ServiceSpec spec = SpecProperties.parse(props(
        ServiceSpec.RESTART, new String[] {"ALWAYS"},
        ServiceSpec.AUTO_START, new Boolean[] {false},
        ServiceSpec.JITTER, new double[] {0.0},
        ServiceSpec.MAX_RESTARTS, List.of(4),
        ServiceSpec.RESTART_DELAY, new String[] {"PT2S"},
        ServiceSpec.READINESS, new Readiness[] {Readiness.EXPLICIT},
        ServiceSpec.GROUP, new String[] {"a/b"},
        ServiceSpec.ESCALATE, new String[0],
        ServiceSpec.STOP_TIMEOUT, List.of()), w -> {});
    assertEquals(RestartPolicy.ALWAYS, spec.restart());
    assertEquals(false, spec.autoStart());
    assertEquals(0.0, spec.jitter());
    assertEquals(4, spec.maxRestarts());
    assertEquals(Duration.ofSeconds(2), spec.restartDelay());
    assertEquals(Readiness.EXPLICIT, spec.readiness());
    assertEquals("a/b", spec.group());
    assertEquals(Escalation.NONE, spec.escalate(), "an empty array is no value: the default");
    assertEquals(Duration.ofSeconds(10), spec.stopTimeout(), "an empty collection is no value: the default");
  }

  /**
   * What DS gives for {@code @SupervisedService(name = "svc", jitter = 0)}: the name, and one-element arrays for
   * the elements set; nothing for those left out, so a configured default reaches them.
   */
  @Test
  void anAnnotatedWorkerTakesTheConfiguredDefaultOfEveryElementItLeavesOut() {
    Map<String, Object> defaults = SpecProperties.defaults("dev.supervisor", Map.of(
        ServiceSpec.RESTART_DELAY, "PT3S", ServiceSpec.JITTER, 0.5, ServiceSpec.RESTART, "ALWAYS"));
    ServiceSpec spec = SpecProperties.parse(Map.of(ServiceSpec.NAME, "svc", ServiceSpec.JITTER, new Double[] {0.0},
        ServiceSpec.GROUP, ""), defaults, w -> {});
    assertEquals(Duration.ofSeconds(3), spec.restartDelay(), "configured default");
    assertEquals(RestartPolicy.ALWAYS, spec.restart(), "configured default");
    assertEquals(0.0, spec.jitter(), "the annotation's own value wins");
    assertEquals(Duration.ofSeconds(30), spec.maxRestartDelay(), "neither: the built-in default");
  }

  @Test
  void aConfiguredDefaultWithMoreThanOneValueNamesThePid() {
    SupervisorException bad = assertThrows(SupervisorException.class,
        () -> SpecProperties.defaults("dev.supervisor", Map.of(ServiceSpec.JITTER, new Double[] {0.1, 0.2})));
    assertTrue(bad.getMessage().startsWith("configuration 'dev.supervisor': property supervisor.jitter = [0.1, 0.2]")
        && bad.getMessage().contains("takes one value, not 2"), bad.getMessage());
    assertEquals(Duration.ofSeconds(2), SpecProperties.parse(props(), SpecProperties.defaults("dev.supervisor",
        Map.of(ServiceSpec.RESTART_DELAY, new String[] {"PT2S"})), w -> {}).restartDelay(),
        "a configured array of one value is that value");
  }

  @Test
  void namesThatCannotWorkAreRejected() {
    for (Object name : new Object[] {null, "", 42, " padded ", "line\nbreak", "x".repeat(10_000)}) {
      Map<String, Object> map = new HashMap<>();
      map.put(ServiceSpec.NAME, name);
      SupervisorException error = assertThrows(SupervisorException.class, () -> SpecProperties.parse(map, w -> {}));
      assertEquals(ServiceSpec.NAME, error.property().orElseThrow(), error.getMessage());
      assertTrue(error.getMessage().length() < 600, "a huge value is shortened in the message");
      assertTrue(!error.getMessage().contains("\n"), "control characters are escaped: " + error.getMessage());
    }
  }

  @Test
  void anyPrintableNameWorks() {
    for (String name : List.of("a,b=c:d*e?f \"quoted\"", "größe-日本", "with space")) {
      assertEquals(name, SpecProperties.parse(Map.of(ServiceSpec.NAME, name), w -> {}).name());
    }
  }

  @Test
  void groupSpecsAreReadFromPropertiesAndBadValuesNameTheGroup() {
    dev.supervisor.api.GroupSpec spec = GroupSpecProperties.parse(Map.of(
        dev.supervisor.api.GroupSpec.PATH, "ingest/kafka",
        dev.supervisor.api.GroupSpec.STRATEGY, "one_for_all",
        dev.supervisor.api.GroupSpec.MAX_RESTARTS, 3,
        dev.supervisor.api.GroupSpec.RESTART_WINDOW, "PT10S",
        dev.supervisor.api.GroupSpec.FAILURE_THRESHOLD, "2.5"));
    assertEquals(dev.supervisor.api.Strategy.ONE_FOR_ALL, spec.strategy());
    assertEquals(3, spec.maxRestarts());
    assertEquals(Duration.ofSeconds(10), spec.restartWindow());
    assertEquals(2.5, spec.failureThreshold());
    assertEquals(Duration.ofSeconds(15), spec.failureBackoff(), "unset keys keep the defaults");
    assertEquals(Double.POSITIVE_INFINITY, GroupSpecProperties.defaults("").failureThreshold(),
        "the root never pauses unless configured");
    // Issue 13: the builder gave the root 5, the properties path infinity; one default now, whatever the path.
    assertEquals(Double.POSITIVE_INFINITY, dev.supervisor.api.GroupSpec.builder("").build().failureThreshold());
    assertEquals(dev.supervisor.api.GroupSpec.builder("").build(),
        GroupSpecProperties.parse(Map.of(dev.supervisor.api.GroupSpec.PATH, "")));
    assertEquals(5.0, dev.supervisor.api.GroupSpec.builder("a").build().failureThreshold());

    SupervisorException bad = assertThrows(SupervisorException.class, () -> GroupSpecProperties.parse(Map.of(
        dev.supervisor.api.GroupSpec.PATH, "ingest", dev.supervisor.api.GroupSpec.STRATEGY, "ALL_FOR_NONE")));
    assertTrue(bad.getMessage().contains("group 'ingest'") && bad.getMessage().contains("ALL_FOR_NONE")
        && bad.getMessage().contains(dev.supervisor.api.GroupSpec.STRATEGY), bad.getMessage());
    // The same forms as a service's: one value in an array is that value, more than one is rejected.
    assertEquals(dev.supervisor.api.Strategy.REST_FOR_ONE, GroupSpecProperties.parse(Map.of(
        dev.supervisor.api.GroupSpec.PATH, "ingest", dev.supervisor.api.GroupSpec.STRATEGY,
        new String[] {"REST_FOR_ONE"})).strategy());
    SupervisorException two = assertThrows(SupervisorException.class, () -> GroupSpecProperties.parse(Map.of(
        dev.supervisor.api.GroupSpec.PATH, "ingest", dev.supervisor.api.GroupSpec.MAX_RESTARTS, new int[] {1, 2})));
    assertTrue(two.getMessage().startsWith("group 'ingest': property supervisor.group.maxRestarts = [1, 2]: takes "
        + "one value, not 2"), two.getMessage());
    assertEquals(dev.supervisor.api.AutoShutdown.ALL_SIGNIFICANT, GroupSpecProperties.parse(Map.of(
        dev.supervisor.api.GroupSpec.PATH, "job", dev.supervisor.api.GroupSpec.AUTO_SHUTDOWN, "all_significant"))
        .autoShutdown());
    SupervisorException sometimes = assertThrows(SupervisorException.class, () -> GroupSpecProperties.parse(Map.of(
        dev.supervisor.api.GroupSpec.PATH, "job", dev.supervisor.api.GroupSpec.AUTO_SHUTDOWN, "SOMETIMES")));
    assertTrue(sometimes.getMessage().contains("group 'job'") && sometimes.getMessage().contains("SOMETIMES")
        && sometimes.getMessage().contains(dev.supervisor.api.GroupSpec.AUTO_SHUTDOWN), sometimes.getMessage());
    SupervisorException noPath = assertThrows(SupervisorException.class,
        () -> GroupSpecProperties.parse(Map.of(dev.supervisor.api.GroupSpec.STRATEGY, "ONE_FOR_ALL")));
    assertEquals(dev.supervisor.api.GroupSpec.PATH, noPath.property().orElseThrow());
  }

  @Test
  void configurationDefaultsApplyWhereTheServiceSetsNothingAndBadOnesNameThePid() {
    Map<String, Object> defaults = SpecProperties.defaults("dev.supervisor", Map.of(
        ServiceSpec.RESTART_DELAY, "PT2S", ServiceSpec.MAX_RESTARTS, 9, "component.name", "ignored",
        ServiceSpec.NAME, "never a default", ServiceSpec.ESCALATE, "REFRESH_BUNDLE"));
    assertEquals(Map.of(ServiceSpec.RESTART_DELAY, "PT2S", ServiceSpec.MAX_RESTARTS, 9, ServiceSpec.ESCALATE,
        "REFRESH_BUNDLE"), defaults);
    ServiceSpec spec = SpecProperties.parse(props(ServiceSpec.MAX_RESTARTS, 1), defaults, w -> {});
    assertEquals(Duration.ofSeconds(2), spec.restartDelay(), "from the defaults");
    assertEquals(1, spec.maxRestarts(), "the service's own value wins");
    assertEquals(Escalation.REFRESH_BUNDLE, spec.escalate(), "from the defaults");

    SupervisorException bad = assertThrows(SupervisorException.class,
        () -> SpecProperties.defaults("dev.supervisor", Map.of(ServiceSpec.JITTER, "lots")));
    assertTrue(bad.getMessage().startsWith("configuration 'dev.supervisor': ")
        && bad.getMessage().contains(ServiceSpec.JITTER) && bad.getMessage().contains("lots"), bad.getMessage());
    SupervisorException crossField = assertThrows(SupervisorException.class,
        () -> SpecProperties.defaults("dev.supervisor", Map.of(ServiceSpec.MAX_RESTART_DELAY, "PT0.01S")));
    assertTrue(crossField.getMessage().startsWith("configuration 'dev.supervisor': property supervisor.maxRestartDelay"),
        crossField.getMessage());
  }
}
