package dev.supervisor.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Small bundles for the launcher's tests, packed from classes of the test class path. */
final class TestBundles {
  private TestBundles() {}

  /**
   * Writes a bundle of an activator and its nested classes that imports the supervisor API and the framework.
   */
  static Path write(Path jar, String symbolicName, Class<?> activator) throws IOException {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue("Bundle-ManifestVersion", "2");
    main.putValue("Bundle-SymbolicName", symbolicName);
    main.putValue("Bundle-Version", "1.0.0");
    main.putValue("Import-Package", "dev.supervisor.api,org.osgi.framework");
    main.putValue("Bundle-Activator", activator.getName());
    // written beside the folder, then moved in whole: File Install may look at the folder meanwhile
    Path partial = Files.createTempFile(jar.toAbsolutePath().getParent().getParent(), symbolicName, ".part");
    try (OutputStream file = Files.newOutputStream(partial); JarOutputStream out = new JarOutputStream(file, manifest)) {
      for (Class<?> type : activator.getNestMembers()) {
        String entry = type.getName().replace('.', '/') + ".class";
        try (InputStream classBytes = activator.getClassLoader().getResourceAsStream(entry)) {
          assertTrue(classBytes != null, () -> entry + " is not on the test class path");
          out.putNextEntry(new JarEntry(entry));
          classBytes.transferTo(out);
          out.closeEntry();
        }
      }
    }
    return Files.move(partial, jar, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
