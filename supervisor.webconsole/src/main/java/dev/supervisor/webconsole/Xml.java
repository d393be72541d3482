package dev.supervisor.webconsole;

/** Escaping for text and attribute values in SVG (XML) written by this bundle. */
final class Xml {
  private Xml() {}

  /**
   * @param s any text, a service name included
   * @return the text with {@code & < > " '} as entities and control characters other than tab, newline
   *     and carriage return dropped (XML 1.0 does not allow them)
   */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
