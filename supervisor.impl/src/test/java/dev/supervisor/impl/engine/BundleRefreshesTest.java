package dev.supervisor.impl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A name escalates once until reset; its count is the refreshes set off and not refused. */
class BundleRefreshesTest {
  private final BundleRefreshes refreshes = new BundleRefreshes();

  @Test
  void aNameEscalatesOnceUntilItIsReset() {
    assertTrue(refreshes.claim("db"));
    assertFalse(refreshes.claim("db"), "the new registration after the refresh must not escalate again");
    assertEquals(1, refreshes.count("db"));
    refreshes.rearm("db");
    assertTrue(refreshes.claim("db"));
    assertEquals(2, refreshes.count("db"), "the count is history: a reset keeps it");
    assertEquals(0, refreshes.count("other"));
  }

  @Test
  void aRefusedRefreshIsNotCountedButTheEscalationStaysUsed() {
    assertTrue(refreshes.claim("db"));
    refreshes.refused("db");
    assertEquals(0, refreshes.count("db"));
    assertFalse(refreshes.claim("db"));
  }
}
