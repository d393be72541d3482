package dev.supervisor.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Runs a file of Gogo commands in a session of the framework's {@code CommandProcessor}, as if they were typed
 * at the shell: each line is printed after a {@code g! } prompt, then what the command printed or returned;
 * a command that throws prints {@code gogo: <exception>: <message>} (as the Felix shell does) and the next
 * line runs. For the shell without a terminal: {@code COMMANDS=my.gosh ./run.sh}.
 *
 * <p>The Gogo API is not on the launcher's class path, so the processor and the session are called by
 * reflection.
 */
final class CommandFile {
  private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
  static final String PROMPT = "g! ";

  private CommandFile() {}

  static void run(BundleContext context, Path file, PrintStream console) {
    try {
      List<String> lines = Files.readAllLines(file);
      ServiceReference<?> reference = context.getServiceReference(PROCESSOR);
      if (reference == null) {
        console.println("launcher: no Gogo shell (" + PROCESSOR + ") to run " + file);
        return;
      }
      Object processor = context.getService(reference);
      Method create = method(processor.getClass(), "createSession", 3);
      Object session = create.invoke(processor, InputStream.nullInputStream(), console, console);
      Method execute = method(session.getClass(), "execute", 1);
      for (String line : lines) {
        String command = line.strip();
        if (command.isEmpty() || command.startsWith("#")) {
          continue;
        }
        console.println(PROMPT + command);
        try {
          Object result = execute.invoke(session, command);
          if (result != null) {
            console.println(result);
          }
        } catch (InvocationTargetException e) {
          Throwable cause = e.getCause();
          console.println("gogo: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
        console.flush();
      }
    } catch (IOException | ReflectiveOperationException | RuntimeException e) {
      console.println("launcher: cannot run the commands of " + file + ": " + e);
    }
  }

  /** A public method of one of the type's interfaces (the implementation class may not be public). */
  private static Method method(Class<?> type, String name, int parameters) throws NoSuchMethodException {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Class<?> api : c.getInterfaces()) {
        for (Method method : api.getMethods()) {
          if (method.getName().equals(name) && method.getParameterCount() == parameters) {
            return method;
          }
        }
      }
    }
    throw new NoSuchMethodException(type.getName() + "." + name);
  }
}
