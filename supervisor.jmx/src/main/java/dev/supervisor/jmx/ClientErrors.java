package dev.supervisor.jmx;

import dev.supervisor.api.SupervisorException;

/**
 * Turns what the supervisor throws into exceptions a remote JMX client can read without any class of this
 * product: a JConsole that received a {@link SupervisorException} would fail to deserialize it and show
 * an unmarshalling error instead of the message. The client gets a JDK exception with the whole message
 * and no cause (a cause could carry a product class again).
 */
final class ClientErrors {

  private ClientErrors() {}

  /**
   * Runs an operation, translating its exceptions.
   *
   * @param operation what the client asked for
   * @throws IllegalArgumentException for a request at fault (an unknown service or group, a bad value, a
   *     service that is not the caller's): see {@link SupervisorException#forClient()}
   * @throws IllegalStateException for every other failure
   */
  static void run(Runnable operation) {
    try {
      operation.run();
    } catch (RuntimeException e) {
      throw forClient(e);
    }
  }

  /**
   * @param error what the supervisor threw
   * @return the exception for the client: {@code error} itself if it and its causes are JDK classes, else a
   *     JDK exception with the same message
   */
  static RuntimeException forClient(RuntimeException error) {
    if (error instanceof SupervisorException e) {
      return e.forClient(); // the translation the shell uses too
    }
    if (onlyJdkClasses(error)) {
      return error;
    }
    return new IllegalStateException(error.getClass().getName() + ": " + error.getMessage());
  }

  private static boolean onlyJdkClasses(Throwable error) {
    ClassLoader platform = ClassLoader.getPlatformClassLoader();
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      ClassLoader loader = t.getClass().getClassLoader();
      if (loader != null && loader != platform) {
        return false;
      }
    }
    return true;
  }
}
