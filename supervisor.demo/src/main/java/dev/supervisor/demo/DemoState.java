package dev.supervisor.demo;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.osgi.service.component.annotations.Component;

/**
 * What the demo workers share: the settings published by {@code demo.config} and the key/value map of
 * {@code demo.store}. A DS service private to this bundle (its package is not exported).
 *
 * <p>Each half has one writer, and the supervisor starts a reader only while the writer is
 * {@code RUNNING} (dependents are stopped before their dependency). Readers still handle "absent",
 * because an HTTP request may race with a stop.
 *
 * <p>Threads: safe from any thread; both halves are published through volatile fields.
 */
@Component(service = DemoState.class)
public class DemoState {
  private volatile Map<String, String> settings = Map.of();
  private volatile ConcurrentMap<String, String> store; // null while demo.store is not running

  /** @return the current settings, empty while {@code demo.config} is not running */
  Map<String, String> settings() {
    return settings;
  }

  String setting(String key, String defaultValue) {
    return settings.getOrDefault(key, defaultValue);
  }

  void publishSettings(Map<String, String> newSettings) {
    settings = Map.copyOf(newSettings);
  }

  void clearSettings() {
    settings = Map.of();
  }

  ConcurrentMap<String, String> openStore(Map<String, String> seed) {
    ConcurrentMap<String, String> opened = new ConcurrentHashMap<>(seed);
    store = opened;
    return opened;
  }

  void closeStore() {
    store = null;
  }

  /** @return the store's map while {@code demo.store} is running */
  Optional<ConcurrentMap<String, String>> store() {
    return Optional.ofNullable(store);
  }

  /** @return the store's map; for workers that depend on {@code demo.store} and so run only while it is open */
  ConcurrentMap<String, String> openedStore() {
    ConcurrentMap<String, String> current = store;
    if (current == null) {
      throw new IllegalStateException(StoreWorker.NAME + " is not open");
    }
    return current;
  }
}
