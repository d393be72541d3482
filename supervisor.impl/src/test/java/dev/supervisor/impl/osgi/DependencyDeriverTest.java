package dev.supervisor.impl.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.Supervised;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;

/** Which references derive which edges, from the component descriptions SCR reports. */
class DependencyDeriverTest {
  private static final String STORE = "com.acme.Store";

  private final DependencyDeriver deriver = new DependencyDeriver();
  private final List<String> warnings = new ArrayList<>();

  private static ComponentDescriptionDTO component(String name, ReferenceDTO... references) {
    ComponentDescriptionDTO description = new ComponentDescriptionDTO();
    description.name = name;
    description.references = references;
    return description;
  }

  private static ReferenceDTO reference(String interfaceName, String cardinality, String target) {
    ReferenceDTO reference = new ReferenceDTO();
    reference.name = interfaceName.substring(interfaceName.lastIndexOf('.') + 1).toLowerCase();
    reference.interfaceName = interfaceName;
    reference.cardinality = cardinality;
    reference.target = target;
    return reference;
  }

  private List<DependencyDeriver.Need> needs(ReferenceDTO... references) {
    return DependencyDeriver.needsOf(component("consumer", references), warnings::add);
  }

  private void provider(long id, String name, Map<String, ?> properties, String... interfaces) {
    deriver.put(id, new DependencyDeriver.Provider(name, List.of(interfaces), properties), List.of(), Set.of());
  }

  @Test
  void aMandatoryReferenceDependsOnEveryMatchingProviderAndTheTargetFilters() {
    provider(1, "primary", Map.of("kind", "primary"), STORE, Supervised.class.getName());
    provider(2, "replica", Map.of("kind", "replica"), STORE, Supervised.class.getName());
    provider(3, "other", Map.of(), "com.acme.Other");

    assertEquals(Set.of("primary", "replica"), deriver.derive("consumer", needs(reference(STORE, "1..1", null))));
    assertEquals(Set.of("primary"), deriver.derive("consumer", needs(reference(STORE, "1..n", "(kind=primary)"))));
    assertEquals(Set.of(), deriver.derive("consumer", needs(reference(STORE, "1..1", "(kind=none)"))));
  }

  @Test
  void optionalReferencesAndReferencesToSupervisedItselfDeriveNothing() {
    provider(1, "primary", Map.of(), STORE, Supervised.class.getName());
    assertEquals(Set.of(), deriver.derive("consumer", needs(reference(STORE, "0..1", null),
        reference(STORE, "0..n", null), reference(Supervised.class.getName(), "1..n", null))));
  }

  @Test
  void aServiceNeverDependsOnItself() {
    provider(1, "self", Map.of(), STORE);
    assertEquals(Set.of(), deriver.derive("self", needs(reference(STORE, "1..1", null))));
  }

  @Test
  void aSatisfyingConditionOnSupervisorNameDependsOnThatService() {
    provider(1, "db", Map.of(), Supervised.class.getName());
    provider(2, "cache", Map.of(), Supervised.class.getName());
    assertEquals(Set.of("db"), deriver.derive("consumer", needs(reference("org.osgi.service.condition.Condition",
        "1..1", "(osgi.condition.id=supervisor.db)"))));
  }

  @Test
  void aSatisfyingConditionNamesItsServiceEvenBeforeThatServiceIsRegistered() {
    // After the supervisor restarts, the consumer may be registered first: it must wait for 'db', not start.
    assertEquals(Set.of("db"), deriver.derive("consumer", needs(reference("org.osgi.service.condition.Condition",
        "1..1", "(osgi.condition.id=supervisor.db)"))));
    List<DependencyDeriver.Need> gated = needs(reference("org.osgi.service.condition.Condition", "1..1",
        "(osgi.condition.id=supervisor.db)"));
    deriver.put(10, new DependencyDeriver.Provider("consumer", List.of(), Map.of()), gated, Set.of("db"));
    provider(1, "db", Map.of(), Supervised.class.getName());
    assertEquals(Map.of(), deriver.changes(), "the provider's arrival changes nothing: the edge was there");
    deriver.remove(1);
    assertEquals(Map.of(), deriver.changes(), "nor does its departure: the consumer waits for it again");
  }

  @Test
  void aConditionWithAWildcardOrAnAlternativeDependsOnlyOnTheRegisteredServicesItMatches() {
    provider(1, "db", Map.of(), Supervised.class.getName());
    assertEquals(Set.of("db"), deriver.derive("consumer", needs(reference("org.osgi.service.condition.Condition",
        "1..1", "(osgi.condition.id=supervisor.d*)"))));
    assertEquals(Set.of("db"), deriver.derive("consumer", needs(reference("org.osgi.service.condition.Condition",
        "1..1", "(|(osgi.condition.id=supervisor.db)(osgi.condition.id=supervisor.cache))"))));
  }

  @Test
  void aTargetPropertyOfTheComponentReplacesTheReferencesTarget() {
    provider(1, "db", Map.of(), Supervised.class.getName());
    provider(2, "cache", Map.of(), Supervised.class.getName());
    ReferenceDTO condition = reference("org.osgi.service.condition.Condition", "1..1", "(osgi.condition.id=true)");
    condition.name = "osgi.ds.satisfying.condition";
    ComponentDescriptionDTO gated = component("consumer", condition);
    gated.properties = Map.of("osgi.ds.satisfying.condition.target", "(osgi.condition.id=supervisor.cache)");
    assertEquals(Set.of("cache"), deriver.derive("consumer", DependencyDeriver.needsOf(gated, warnings::add)));
  }

  @Test
  void aTargetThatDoesNotParseIsReportedAndDerivesNothing() {
    assertTrue(needs(reference(STORE, "1..1", "(kind=")).isEmpty());
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).contains("consumer") && warnings.get(0).contains("(kind="), warnings.get(0));
  }

  @Test
  void changesNameTheConsumersWhoseProvidersCameOrWent() {
    List<DependencyDeriver.Need> consumerNeeds = needs(reference(STORE, "1..1", null));
    deriver.put(10, new DependencyDeriver.Provider("consumer", List.of(), Map.of()), consumerNeeds, Set.of());
    assertEquals(Map.of(), deriver.changes());

    provider(1, "store", Map.of(), STORE);
    assertEquals(Map.of(10L, Set.of("store")), deriver.changes());
    deriver.given(10, Set.of("store"));
    assertEquals(Map.of(), deriver.changes());

    deriver.remove(1);
    assertEquals(Map.of(10L, Set.of()), deriver.changes());
  }
}
