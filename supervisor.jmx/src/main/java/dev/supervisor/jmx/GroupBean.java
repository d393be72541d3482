package dev.supervisor.jmx;

import dev.supervisor.api.GroupInfo;
import dev.supervisor.api.Supervisor;
import java.util.Date;

/**
 * {@link GroupMXBean} of one group: holds only the path and reads the supervisor's snapshot when asked.
 *
 * <p>Threads: safe from any thread.
 */
final class GroupBean implements GroupMXBean {
  private final Supervisor supervisor;
  private final String path;

  GroupBean(Supervisor supervisor, String path) {
    this.supervisor = supervisor;
    this.path = path;
  }

  @Override public String getPath() { return path; }

  @Override public String getState() { return info().state().name(); }

  @Override public String getStrategy() { return info().spec().strategy().name(); }

  @Override public double getFailureCount() { return info().failureCount(); }

  @Override public long getFailureDecay() { return info().spec().failureDecay().toMillis(); }

  @Override public double getFailureThreshold() { return info().spec().failureThreshold(); }

  @Override public long getFailureBackoff() { return info().spec().failureBackoff().toMillis(); }

  @Override public Date getBackoffUntil() { return info().backoffUntil().map(Date::from).orElse(null); }

  @Override public int getMaxRestarts() { return info().spec().maxRestarts(); }

  @Override public long getRestartWindow() { return info().spec().restartWindow().toMillis(); }

  @Override public int getRestartsInWindow() { return info().restartsInWindow(); }

  @Override public long getEscalations() { return info().escalations(); }

  @Override public String getLastFailure() { return info().lastFailure().map(f -> f.message()).orElse(null); }

  @Override public long getStopTimeout() { return info().spec().stopTimeout().toMillis(); }

  @Override public String[] getMembers() { return info().members().toArray(String[]::new); }

  @Override public String[] getChildren() { return info().children().toArray(String[]::new); }

  @Override public void restartAll() { ClientErrors.run(() -> supervisor.restartGroup(path)); }

  @Override
  public String[] stopAll() throws InterruptedException {
    try {
      return supervisor.stopGroup(path).toArray(String[]::new);
    } catch (RuntimeException e) {
      throw ClientErrors.forClient(e);
    }
  }

  @Override public void reset() { ClientErrors.run(() -> supervisor.resetGroup(path)); }

  private GroupInfo info() {
    try {
      return supervisor.group(path).orElseThrow(() -> new IllegalStateException("no group '" + path + "'"));
    } catch (RuntimeException e) {
      throw ClientErrors.forClient(e);
    }
  }

  @Override
  public String toString() {
    return "GroupMXBean of '" + path + "'";
  }
}
