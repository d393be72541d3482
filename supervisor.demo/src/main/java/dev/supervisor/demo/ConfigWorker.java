package dev.supervisor.demo;

import static dev.supervisor.demo.DemoLog.log;

import dev.supervisor.api.Readiness;
import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.annotations.SupervisedService;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code demo.config}: loads the settings (built-in defaults, overridden by the properties file named by
 * the {@code demo.config} framework or system property), publishes them, and re-reads the file when it
 * changes. Ready once the settings are published.
 *
 * <p>A file that cannot be read fails this worker: its dependents ({@code demo.store}, then everything that
 * needs the store) are stopped and wait until a retry succeeds, which shows the dependency handling.
 */
@Component(service = Supervised.class)
@SupervisedService(name = ConfigWorker.NAME, readiness = Readiness.EXPLICIT, restartDelay = "PT1S",
    maxRestartDelay = "PT15S")
public class ConfigWorker implements Supervised {
  static final String NAME = "demo.config";
  /** Framework (or system) property: a properties file that overrides the defaults. */
  static final String FILE_PROPERTY = "demo.config";
  private static final String DEFAULTS = "defaults.properties";
  private static final Duration RELOAD_CHECK = Duration.ofSeconds(2);

  @Reference
  private DemoState state;
  private Path file; // null: built-in defaults only

  @Activate
  void activate(BundleContext context) {
    String configured = context.getProperty(FILE_PROPERTY);
    file = configured == null || configured.isBlank() ? null : Path.of(configured);
  }

  @Override
  public void run(RunContext ctx) throws Exception {
    try {
      FileTime loaded = load();
      ctx.ready();
      while (!ctx.awaitStop(RELOAD_CHECK)) {
        if (file != null && !Objects.equals(lastModified(), loaded)) {
          loaded = load();
        }
      }
    } finally {
      state.clearSettings();
    }
  }

  /** @return the file's modification time that was loaded, null when there is no file */
  private FileTime load() throws IOException {
    Map<String, String> settings = new TreeMap<>();
    try (InputStream in = ConfigWorker.class.getResourceAsStream(DEFAULTS)) {
      settings.putAll(read(Objects.requireNonNull(in, DEFAULTS + " is missing from the bundle")));
    }
    FileTime modified = null;
    if (file != null) {
      modified = lastModified();
      try (Reader in = Files.newBufferedReader(file)) {
        Properties overrides = new Properties();
        overrides.load(in);
        overrides.stringPropertyNames().forEach(key -> settings.put(key, overrides.getProperty(key)));
      }
    }
    state.publishSettings(settings);
    log(NAME, "loaded %d settings from %s", settings.size(), file == null ? "the built-in defaults" : file);
    return modified;
  }

  private FileTime lastModified() throws IOException {
    return Files.getLastModifiedTime(file);
  }

  private static Map<String, String> read(InputStream in) throws IOException {
    Properties properties = new Properties();
    properties.load(in);
    Map<String, String> map = new TreeMap<>();
    properties.stringPropertyNames().forEach(key -> map.put(key, properties.getProperty(key)));
    return map;
  }
}
