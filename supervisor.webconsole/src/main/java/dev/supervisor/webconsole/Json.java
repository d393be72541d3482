package dev.supervisor.webconsole;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * A small streaming JSON writer (this bundle depends on nothing but the servlet API). Commas are placed by
 * the writer; strings are escaped so that the output is valid JSON and safe to embed anywhere: besides the
 * JSON escapes, {@code <}, {@code >} and {@code &} are written as {@code \\u} escapes, so no name can close a
 * tag even where a careless reader puts JSON into HTML.
 */
final class Json {
  private final StringBuilder out;
  /** One flag per open object or array: whether the next value needs a comma before it. */
  private boolean[] needComma = new boolean[16];
  private int depth;
  private boolean afterName;

  Json() {
    this(new StringBuilder(256));
  }

  Json(StringBuilder out) {
    this.out = out;
  }

  Json beginObject() {
    value();
    out.append('{');
    push();
    return this;
  }

  Json endObject() {
    depth--;
    out.append('}');
    return this;
  }

  Json beginArray() {
    value();
    out.append('[');
    push();
    return this;
  }

  Json endArray() {
    depth--;
    out.append(']');
    return this;
  }

  /** Writes a member name; the next call writes its value. */
  Json name(String name) {
    value();
    quote(name);
    out.append(':');
    afterName = true;
    return this;
  }

  Json value(String s) {
    value();
    if (s == null) {
      out.append("null");
    } else {
      quote(s);
    }
    return this;
  }

  Json value(long n) {
    value();
    out.append(n);
    return this;
  }

  Json value(double d) {
    value();
    if (Double.isFinite(d)) {
      out.append(Math.round(d * 1000) / 1000.0);
    } else {
      out.append("null");
    }
    return this;
  }

  Json value(boolean b) {
    value();
    out.append(b);
    return this;
  }

  /** An instant as epoch milliseconds (null for null). */
  Json value(Instant t) {
    if (t == null) {
      return nullValue();
    }
    return value(t.toEpochMilli());
  }

  /** A duration as milliseconds. */
  Json value(Duration d) {
    if (d == null) {
      return nullValue();
    }
    return value(d.toMillis());
  }

  Json nullValue() {
    value();
    out.append("null");
    return this;
  }

  Json member(String name, String value) {
    return name(name).value(value);
  }

  Json member(String name, long value) {
    return name(name).value(value);
  }

  Json member(String name, double value) {
    return name(name).value(value);
  }

  Json member(String name, boolean value) {
    return name(name).value(value);
  }

  Json member(String name, Instant value) {
    return name(name).value(value);
  }

  Json member(String name, Duration value) {
    return name(name).value(value);
  }

  Json memberInstant(String name, Optional<Instant> value) {
    return name(name).value(value.orElse(null));
  }

  Json member(String name, Collection<String> values) {
    name(name).beginArray();
    for (String v : values) {
      value(v);
    }
    return endArray();
  }

  @Override
  public String toString() {
    return out.toString();
  }

  private void push() {
    if (depth == needComma.length) {
      needComma = java.util.Arrays.copyOf(needComma, depth * 2);
    }
    needComma[depth++] = false;
  }

  /** Before any value or name: a comma if a sibling came before (not after a member name). */
  private void value() {
    if (afterName) {
      afterName = false;
      return;
    }
    if (depth > 0) {
      if (needComma[depth - 1]) {
        out.append(',');
      }
      needComma[depth - 1] = true;
    }
  }

  private void quote(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> unicode(c);
        default -> {
          if (c < 0x20) {
            unicode(c);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private void unicode(char c) {
    out.append("\\u");
    String hex = Integer.toHexString(c);
    for (int i = hex.length(); i < 4; i++) {
      out.append('0');
    }
    out.append(hex);
  }
}
