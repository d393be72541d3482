package dev.supervisor.impl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.Strategy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Group policy as a decision value: OTP's strategies and intensity, suptree's pause, with no thread. */
class GroupDecisionTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  /** The monotonic reading the decisions use. */
  private static final long NOW = 42_000_000_000L;
  private final Groups groups = new Groups();
  private long ids;
  private long launches;

  private GroupNode group(String path, Strategy strategy, int maxRestarts, double threshold) {
    GroupNode node = groups.getOrCreate(path);
    node.spec = GroupSpec.builder(path).strategy(strategy).maxRestarts(maxRestarts).restartWindow(Duration.ofMinutes(1))
        .failureThreshold(threshold).build();
    return node;
  }

  private ServiceEntry member(GroupNode group, String name) {
    ServiceEntry entry = new ServiceEntry(++ids, ServiceSpec.builder(name).group(group.path).build(), null, "test",
        Escalator.NONE, T0, false);
    entry.group = group;
    entry.launchStamp = ++launches;
    group.members.add(entry);
    return entry;
  }

  @Test
  void oneForOneRestartsNothingElse() {
    GroupNode g = group("g", Strategy.ONE_FOR_ONE, 0, Double.POSITIVE_INFINITY);
    ServiceEntry a = member(g, "a");
    member(g, "b");
    Groups.Decision decision = groups.onMemberFailure(g, a, NOW);
    assertEquals(List.of(), decision.failed());
    assertEquals(Set.of(), decision.restart());
    assertNull(decision.pause());
    assertEquals(List.of(g), decision.changed());
  }

  @Test
  void oneForAllRestartsEveryOtherMemberAndRestForOneThoseStartedAfter() {
    GroupNode all = group("all", Strategy.ONE_FOR_ALL, 0, Double.POSITIVE_INFINITY);
    ServiceEntry a = member(all, "a");
    ServiceEntry b = member(all, "b");
    assertEquals(Set.of(b), groups.onMemberFailure(all, a, NOW).restart());

    GroupNode rest = group("rest", Strategy.REST_FOR_ONE, 0, Double.POSITIVE_INFINITY);
    ServiceEntry first = member(rest, "first");
    ServiceEntry second = member(rest, "second");
    ServiceEntry third = member(rest, "third");
    assertEquals(Set.of(third), groups.onMemberFailure(rest, second, NOW).restart());
    assertEquals(Set.of(second, third), groups.onMemberFailure(rest, first, NOW).restart());
  }

  @Test
  void passingTheThresholdPausesTheGroupOnce() {
    GroupNode g = group("g", Strategy.ONE_FOR_ONE, 0, 2.5);
    ServiceEntry a = member(g, "a");
    assertNull(groups.onMemberFailure(g, a, NOW).pause());
    assertNull(groups.onMemberFailure(g, a, NOW).pause());
    assertSame(g, groups.onMemberFailure(g, a, NOW).pause(), "the third failure passes 2.5");
    g.pausedUntil = T0.plusSeconds(15);
    g.pausedUntilNanos = NOW + Duration.ofSeconds(15).toNanos();
    assertNull(groups.onMemberFailure(g, a, NOW).pause(), "already paused: not again");
  }

  @Test
  void exceedingTheIntensityFailsTheGroupAndItsParentRestartsItAfresh() {
    GroupNode parent = group("p", Strategy.ONE_FOR_ALL, 0, Double.POSITIVE_INFINITY);
    GroupNode child = group("p/c", Strategy.ONE_FOR_ONE, 1, Double.POSITIVE_INFINITY);
    ServiceEntry sibling = member(parent, "sibling");
    ServiceEntry a = member(child, "a");
    ServiceEntry b = member(child, "b");
    assertEquals(List.of(), groups.onMemberFailure(child, a, NOW).failed(), "one failure is within 1");
    Groups.Decision decision = groups.onMemberFailure(child, a, NOW);
    assertEquals(List.of(child), decision.failed());
    assertFalse(decision.rootGaveUp());
    assertEquals(Set.of(b, sibling), decision.restart(), "the child group afresh, and the parent's ONE_FOR_ALL");
    assertEquals(0, child.window.count(NOW, Duration.ofMinutes(1)), "the failed group starts with a clean slate");
    assertEquals(1, parent.window.count(NOW, Duration.ofMinutes(1)), "the parent counted one failure");
    assertTrue(decision.changed().containsAll(List.of(child, parent)));
  }

  @Test
  void theRootExceedingGivesUp() {
    GroupSpec root = GroupSpec.builder("").maxRestarts(1).restartWindow(Duration.ofMinutes(1)).build();
    groups.root.spec = root;
    ServiceEntry a = member(groups.root, "a");
    assertFalse(groups.onMemberFailure(groups.root, a, NOW).rootGaveUp());
    Groups.Decision decision = groups.onMemberFailure(groups.root, a, NOW);
    assertTrue(decision.rootGaveUp());
    assertEquals(List.of(groups.root), decision.failed());
  }
}
