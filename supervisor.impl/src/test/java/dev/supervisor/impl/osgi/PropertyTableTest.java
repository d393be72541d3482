package dev.supervisor.impl.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.ServiceProperty;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.impl.engine.RunThreadModeProperty;
import dev.supervisor.impl.engine.SpecProperties;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Everything that describes the {@code supervisor.*} properties agrees with their one table,
 * {@link ServiceProperty#all()}: the builder's defaults and {@code toProperties}, the parser's list of what a
 * configuration may default, the Metatype of PID {@code dev.supervisor} ({@link SupervisorConfiguration}) and the
 * README's table. The Metatype's other keys (the root group's, {@code supervisor.threads}, ...) are in the README's
 * table of the PID. When one fails, the message shows what the table says.
 */
class PropertyTableTest {

  /** Where the README is, seen from this module (Surefire runs in the module's folder). */
  private static final Path README = Path.of("..", "README.md");

  @Test
  void aBuilderStartsFromTheTablesDefaultsAndToPropertiesListsEverySpecProperty() {
    Map<String, String> shown = ServiceSpec.builder("svc").build().toProperties();
    Map<String, String> expected = new LinkedHashMap<>();
    for (ServiceProperty<?> property : ServiceProperty.all()) {
      if (property == ServiceProperty.NAME) {
        expected.put(property.key(), "svc");
      } else if (property != ServiceProperty.COMPONENT) {
        expected.put(property.key(), text(property.defaultValue().orElseThrow()));
      }
    }
    assertEquals(expected, shown);
    assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(shown.keySet()), "in the table's order");
    // The order toProperties() had before the table: shells, JMX and the README's transcripts show it.
    assertEquals(List.of(ServiceSpec.NAME, ServiceSpec.DEPENDS_ON, ServiceSpec.RESTART, ServiceSpec.AUTO_START,
        ServiceSpec.RESTART_DELAY, ServiceSpec.MAX_RESTART_DELAY, ServiceSpec.BACKOFF_MULTIPLIER, ServiceSpec.JITTER,
        ServiceSpec.MAX_RESTARTS, ServiceSpec.RESTART_WINDOW, ServiceSpec.MAX_RESTARTS_IN_WINDOW,
        ServiceSpec.READY_TIMEOUT, ServiceSpec.STOP_TIMEOUT, ServiceSpec.READINESS, ServiceSpec.GROUP,
        ServiceSpec.ESCALATE, ServiceSpec.MISSING_DEPENDENCY_GRACE, ServiceSpec.SIGNIFICANT),
        new ArrayList<>(shown.keySet()));
  }

  @Test
  void everyPropertyButNameAndComponentCanBeSetByItsRow() {
    ServiceSpec spec = ServiceSpec.builder("svc").set(ServiceProperty.JITTER, 0.0)
        .set(ServiceProperty.DEPENDS_ON, List.of("a")).set(ServiceProperty.RESTART_DELAY, Duration.ofSeconds(1))
        .build();
    assertEquals(0.0, spec.jitter());
    assertEquals(List.of("a"), spec.dependsOn());
    assertEquals(Duration.ofSeconds(1), spec.restartDelay());
    assertEquals(List.of(ServiceProperty.NAME, ServiceProperty.COMPONENT),
        ServiceProperty.all().stream().filter(p -> !p.settable()).toList());
  }

  @Test
  void theParserDefaultsWhatTheTableMarksConfigurable() {
    assertEquals(List.of(ServiceSpec.RESTART, ServiceSpec.AUTO_START, ServiceSpec.RESTART_DELAY,
        ServiceSpec.MAX_RESTART_DELAY, ServiceSpec.BACKOFF_MULTIPLIER, ServiceSpec.JITTER, ServiceSpec.MAX_RESTARTS,
        ServiceSpec.RESTART_WINDOW, ServiceSpec.MAX_RESTARTS_IN_WINDOW, ServiceSpec.READY_TIMEOUT,
        ServiceSpec.STOP_TIMEOUT, ServiceSpec.READINESS, ServiceSpec.ESCALATE, ServiceSpec.MISSING_DEPENDENCY_GRACE),
        SpecProperties.DEFAULTABLE);
  }

  /**
   * The Metatype annotation cannot be generated from the table (annotation values are constants), so it is
   * checked: one attribute per configurable property, of the type Metatype gives it, with the table's default.
   * Its other {@code supervisor_*} attributes are the root group's ({@code supervisor.group.*}) and the engine's
   * {@code supervisor.threads}.
   */
  @Test
  void theMetatypeOfPidDevSupervisorHasEveryConfigurablePropertyWithTheTablesDefault() {
    Map<String, Method> attributes = Arrays.stream(SupervisorConfiguration.class.getDeclaredMethods())
        .collect(Collectors.toMap(m -> m.getName().replace('_', '.'), m -> m));
    List<String> problems = new ArrayList<>();
    for (ServiceProperty<?> property : ServiceProperty.all()) {
      Method attribute = attributes.get(property.key());
      if (!property.configurable()) {
        if (attribute != null) {
          problems.add(property.key() + " is in the Metatype but is not configurable in the table");
        }
        continue;
      }
      if (attribute == null) {
        problems.add(property.key() + " is configurable in the table but missing from the Metatype");
        continue;
      }
      Class<?> expectedType = metatypeType(property.valueType());
      if (attribute.getReturnType() != expectedType) {
        problems.add(property.key() + ": Metatype type " + attribute.getReturnType() + ", table says " + expectedType);
      }
      Object metatypeDefault = attribute.getDefaultValue();
      Object tableDefault = property.defaultValue().orElseThrow();
      Object comparable = tableDefault instanceof Duration ? Duration.parse((String) metatypeDefault)
          : metatypeDefault;
      Object expectedValue = tableDefault instanceof Enum<?> constant ? constant.name() : tableDefault;
      if (!expectedValue.equals(comparable)) {
        problems.add(property.key() + ": Metatype default " + metatypeDefault + ", table says " + tableDefault);
      }
    }
    for (String key : attributes.keySet()) {
      if (key.startsWith("supervisor.") && !key.startsWith("supervisor.group.")
          && !key.equals(RunThreadModeProperty.KEY) && ServiceProperty.forKey(key).isEmpty()) {
        problems.add(key + " is in the Metatype but not in the table");
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void theMetatypeOfSupervisorThreadsDefaultsToWhatTheEngineReadsWhenItIsUnset() throws NoSuchMethodException {
    Method attribute = SupervisorConfiguration.class.getDeclaredMethod(RunThreadModeProperty.KEY.replace('.', '_'));
    assertEquals(RunThreadModeProperty.read(SupervisorComponent.PID, Map.of()).name(), attribute.getDefaultValue());
  }

  /**
   * The README's table of PID {@code dev.supervisor} (section Configure, under Apache Karaf) has a row for each key
   * of its Metatype that is not a service property (those are one row, "every key marked yes"), and no other.
   */
  @Test
  void theReadmesTableOfPidDevSupervisorHasARowForEveryOtherKeyOfItsMetatype() throws IOException {
    List<String> readme = Files.readAllLines(README);
    int marker = readme.indexOf(readme.stream().filter(line -> line.startsWith("| every key marked \"yes\""))
        .findFirst().orElseThrow(() -> new AssertionError("README.md has no table of PID dev.supervisor")));
    List<String> documented = new ArrayList<>();
    for (int i = marker + 1; i < readme.size() && readme.get(i).startsWith("| `"); i++) {
      documented.add(readme.get(i).substring(3, readme.get(i).indexOf('`', 3)));
    }
    List<String> expected = Arrays.stream(SupervisorConfiguration.class.getDeclaredMethods())
        .map(m -> m.getName().replace('_', '.')).filter(key -> ServiceProperty.forKey(key).isEmpty()).sorted().toList();
    assertEquals(expected, documented.stream().sorted().toList(),
        "README.md, the table of PID dev.supervisor: one row per key of SupervisorConfiguration (expected on the left)");
  }

  /** Durations and enum names are Strings in Metatype; the rest keep their primitive type. */
  private static Class<?> metatypeType(Class<?> valueType) {
    if (valueType == Boolean.class) {
      return boolean.class;
    } else if (valueType == Double.class) {
      return double.class;
    } else if (valueType == Integer.class) {
      return int.class;
    }
    return String.class;
  }

  @Test
  void theReadmesTableIsTheTable() throws IOException {
    List<String> expected = new ArrayList<>();
    expected.add("| property | type | default | in PID `dev.supervisor` | meaning |");
    expected.add("| --- | --- | --- | --- | --- |");
    for (ServiceProperty<?> property : ServiceProperty.all()) {
      expected.add(readmeRow(property));
    }
    List<String> readme = Files.readAllLines(README);
    int heading = readme.indexOf("## Properties");
    assertTrue(heading >= 0, "README.md has no '## Properties' section");
    int start = heading;
    while (start < readme.size() && !readme.get(start).startsWith("|")) {
      start++;
    }
    int end = start;
    while (end < readme.size() && readme.get(end).startsWith("|")) {
      end++;
    }
    List<String> actual = readme.subList(start, end);
    assertEquals(String.join("\n", expected), String.join("\n", actual),
        "README.md, section Properties, must show the table of ServiceProperty (expected on the left)");
  }

  /** Each constant of ServiceProperty states its default in its Javadoc, as toProperties shows it. */
  @Test
  void theJavadocOfEachConstantStatesTheTablesDefault() throws IOException {
    String source = Files.readString(Path.of("..", "supervisor.api", "src", "main", "java", "dev", "supervisor",
        "api", "ServiceProperty.java"));
    List<String> problems = new ArrayList<>();
    for (java.lang.reflect.Field field : ServiceProperty.class.getFields()) {
      if (field.getType() != ServiceProperty.class) {
        continue;
      }
      ServiceProperty<?> property = (ServiceProperty<?>) ServiceProperty.forKey(keyOf(field)).orElseThrow();
      java.util.regex.Matcher javadoc = java.util.regex.Pattern.compile(
          "/\\*\\*((?:(?!\\*/).)*)\\*/\\s*public static final ServiceProperty<[^>]*>+ " + field.getName() + " =",
          java.util.regex.Pattern.DOTALL).matcher(source);
      if (!javadoc.find()) {
        problems.add(field.getName() + " has no Javadoc");
        continue;
      }
      String text = javadoc.group(1).replaceAll("\\s*\\n\\s*\\*", " ");
      Optional<?> value = property.defaultValue();
      String expected = value.isEmpty() ? "required"
          : text(value.get()).isEmpty() ? "default none" : "default {@code " + text(value.get()) + "}";
      if (!text.contains("{@code " + property.key() + "}") || !text.contains(expected)) {
        problems.add(field.getName() + ": its Javadoc should name {@code " + property.key() + "} and say '"
            + expected + "':" + text);
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  private static String keyOf(java.lang.reflect.Field field) {
    try {
      return ((ServiceProperty<?>) field.get(null)).key();
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  /** The README's row of a property: generated, so the README says exactly what the table says. */
  private static String readmeRow(ServiceProperty<?> property) {
    Optional<?> value = property.defaultValue();
    String defaultText = value.isEmpty() ? "required"
        : text(value.get()).isEmpty() ? "none" : "`" + text(value.get()) + "`";
    return "| `" + property.key() + "` | " + property.typeDescription() + " | " + defaultText + " | "
        + (property.configurable() ? "yes" : "no") + " | " + property.description() + " |";
  }

  /** A value as toProperties shows it. */
  private static String text(Object value) {
    return value instanceof List<?> list ? list.stream().map(String::valueOf).collect(Collectors.joining(","))
        : String.valueOf(value);
  }
}
