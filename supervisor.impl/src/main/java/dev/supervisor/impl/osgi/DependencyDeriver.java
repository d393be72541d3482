package dev.supervisor.impl.osgi;

import dev.supervisor.api.Supervised;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;

/**
 * Derives dependencies between supervised services from Declarative Services references: a service whose
 * component has a mandatory reference depends on every supervised service that provides the reference's
 * interface and matches its target. A satisfying-condition reference to {@code supervisor.<name>} (see
 * the condition the supervisor registers while a service runs) depends on {@code <name>}.
 *
 * <p>Optional references derive nothing: they must never make a service wait. References to
 * {@code Supervised} itself are left out (every worker provides it).
 *
 * <p>Holds what each registration provides and needs, keyed by the engine's registration id; thread-safe.
 */
final class DependencyDeriver {
  private static final String CONDITION = "org.osgi.service.condition.Condition";
  private static final String CONDITION_ID = "osgi.condition.id";

  /** What a supervised service offers to others: its interfaces and service properties. */
  record Provider(String name, List<String> interfaces, Map<String, ?> properties) {}

  /** A mandatory reference: an interface and an optional target filter. */
  record Need(String reference, String interfaceName, Filter target) {
    /**
     * @return the service a satisfying condition names exactly ({@code (osgi.condition.id=supervisor.<name>)}),
     *     else null. Such an edge is known from the filter alone, before the service is registered: after the
     *     supervisor restarts, registrations come back in any order, and a consumer registered before its
     *     provider must wait for it, not start and be stopped again once the provider shows up.
     */
    String namedService() {
      if (target == null || !CONDITION.equals(interfaceName)) {
        return null;
      }
      Matcher exact = EXACT_SUPERVISOR_CONDITION.matcher(target.toString());
      return exact.matches() ? exact.group(1) : null;
    }
  }

  /** An equality on the condition id with no wildcard, escape or nesting: the name is literal. */
  private static final Pattern EXACT_SUPERVISOR_CONDITION =
      Pattern.compile("\\(" + CONDITION_ID.replace(".", "\\.") + "=supervisor\\.([^()*\\\\]+)\\)");

  private record Node(Provider provider, List<Need> needs) {}

  private final Map<Long, Node> nodes = new HashMap<>();
  /**
   * The nodes that have needs: the only ones whose derived dependencies can change. Most workers have none
   * (every whiteboard worker that is not a DS component), and {@link #changes} runs after every registration.
   */
  private final Map<Long, Node> needing = new HashMap<>();
  /** The derived dependencies each registration was last given. */
  private final Map<Long, Set<String>> given = new HashMap<>();

  /**
   * @param description a component's description
   * @param warn told about a target filter that does not parse (the reference then derives nothing)
   * @return its mandatory references, as needs
   */
  static List<Need> needsOf(ComponentDescriptionDTO description, java.util.function.Consumer<String> warn) {
    List<Need> needs = new ArrayList<>();
    for (ReferenceDTO reference : description.references) {
      if (reference.cardinality == null || !reference.cardinality.startsWith("1")
          || Supervised.class.getName().equals(reference.interfaceName)) {
        continue;
      }
      String targetText = effectiveTarget(description, reference);
      Filter target = null;
      if (targetText != null && !targetText.isBlank()) {
        try {
          target = FrameworkUtil.createFilter(targetText);
        } catch (InvalidSyntaxException e) {
          warn.accept("component " + description.name + ": reference " + reference.name + " target "
              + targetText + " does not parse; no dependency derived from it");
          continue;
        }
      }
      needs.add(new Need(reference.name, reference.interfaceName, target));
    }
    return needs;
  }

  /**
   * DS lets a component property {@code <reference name>.target} replace a reference's target; that is how
   * {@code osgi.ds.satisfying.condition.target} aims the implicit satisfying-condition reference.
   */
  private static String effectiveTarget(ComponentDescriptionDTO description, ReferenceDTO reference) {
    Object override = description.properties == null ? null : description.properties.get(reference.name + ".target");
    return override instanceof String text ? text : reference.target;
  }

  /**
   * @return the names of the known providers, other than {@code name}, that satisfy {@code needs}, and the
   *     services named exactly by a satisfying condition, registered or not (see {@link Need#namedService()})
   */
  synchronized Set<String> derive(String name, List<Need> needs) {
    Set<String> derived = new TreeSet<>();
    for (Need need : needs) {
      String named = need.namedService();
      if (named != null && !named.equals(name)) {
        derived.add(named);
      }
      for (Node node : nodes.values()) {
        Provider provider = node.provider;
        if (!provider.name.equals(name) && satisfies(provider, need)) {
          derived.add(provider.name);
        }
      }
    }
    return derived;
  }

  private static boolean satisfies(Provider provider, Need need) {
    if (CONDITION.equals(need.interfaceName)) {
      return need.target != null && need.target.matches(Map.of(CONDITION_ID, "supervisor." + provider.name));
    }
    return provider.interfaces.contains(need.interfaceName)
        && (need.target == null || need.target.matches(provider.properties));
  }

  /** Records a registration and the derived dependencies it was given. */
  synchronized void put(long id, Provider provider, List<Need> needs, Set<String> derived) {
    Node node = new Node(provider, List.copyOf(needs));
    nodes.put(id, node);
    if (needs.isEmpty()) {
      needing.remove(id);
    } else {
      needing.put(id, node);
    }
    given.put(id, Set.copyOf(derived));
  }

  synchronized void remove(long id) {
    nodes.remove(id);
    needing.remove(id);
    given.remove(id);
  }

  /** @return every registration whose derived dependencies differ now from those it was given */
  synchronized Map<Long, Set<String>> changes() {
    Map<Long, Set<String>> changes = new HashMap<>();
    for (Map.Entry<Long, Node> entry : needing.entrySet()) {
      Node node = entry.getValue();
      Set<String> now = derive(node.provider.name, node.needs);
      if (!now.equals(given.get(entry.getKey()))) {
        changes.put(entry.getKey(), now);
      }
    }
    return changes;
  }

  /** The engine took (or refused, and keeps) a set: remember what it has. */
  synchronized void given(long id, Set<String> derived) {
    if (nodes.containsKey(id)) {
      given.put(id, Set.copyOf(derived));
    }
  }
}
