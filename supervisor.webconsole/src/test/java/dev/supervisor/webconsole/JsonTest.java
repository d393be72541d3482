package dev.supervisor.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void placesCommasAndEscapesEverythingThatCouldCloseATag() {
    String json = new Json().beginObject()
        .member("name", "<img src=x onerror=alert(1)>")
        .member("quote", "a\"b\\c\nd\u0001")
        .member("n", 3)
        .member("list", List.of("x", "y"))
        .name("nested").beginArray().beginObject().endObject().nullValue().endArray()
        .endObject().toString();
    assertEquals("{\"name\":\"\\u003cimg src=x onerror=alert(1)\\u003e\",\"quote\":\"a\\\"b\\\\c\\nd\\u0001\","
        + "\"n\":3,\"list\":[\"x\",\"y\"],\"nested\":[{},null]}", json);
    assertFalse(json.contains("<"));
  }

  @Test
  void xmlEscapesTextAndAttributes() {
    assertEquals("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;&#39;", Xml.escape("<img src=x onerror=alert(1)> & \"'\u0000"));
  }
}
