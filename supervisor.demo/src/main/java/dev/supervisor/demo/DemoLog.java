package dev.supervisor.demo;

/**
 * Console lines prefixed by the service name, so that the output of workers running in parallel (and
 * interleaved with the Gogo prompt) stays readable.
 */
final class DemoLog {
  private DemoLog() {}

  static void log(String service, String format, Object... args) {
    System.out.println("[" + service + "] " + String.format(format, args));
  }
}
