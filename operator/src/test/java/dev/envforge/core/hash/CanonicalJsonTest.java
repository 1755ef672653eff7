package dev.envforge.core.hash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written canonical text is byte for byte what Jackson wrote when the hash scheme was defined. */
class CanonicalJsonTest {
  private static final ObjectMapper JACKSON = new ObjectMapper()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
      .configure(SerializationFeature.INDENT_OUTPUT, false);

  @Test
  void everyCharacterClassIsEscapedAsJacksonDoes() throws Exception {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x300; c++) {
      all.append(c);
    }
    all.append("\u2028\u2029\uFEFF\uD83D\uDE00\uD800x\uDC00\u007F/<>&'");
    Map<String, Object> doc = Map.of("s", all.toString(), "k\n\"\\", List.of("a", "", "\u0000", 7, -3L, Long.MAX_VALUE));
    assertThat(CanonicalJson.write(doc)).isEqualTo(JACKSON.writeValueAsString(doc));
  }

  @Test
  void randomDocumentsMatchJackson() throws Exception {
    Random random = new Random(42);
    for (int i = 0; i < 2000; i++) {
      Object doc = randomValue(random, 0);
      assertThat(CanonicalJson.write(doc)).isEqualTo(JACKSON.writeValueAsString(doc));
    }
  }

  private static Object randomValue(Random random, int depth) {
    int kind = depth > 3 ? 0 : random.nextInt(3);
    switch (kind) {
      case 1 -> {
        Map<String, Object> map = new HashMap<>();
        for (int i = random.nextInt(5); i > 0; i--) {
          map.put(randomString(random), randomValue(random, depth + 1));
        }
        return map;
      }
      case 2 -> {
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
          list.add(randomValue(random, depth + 1));
        }
        return list;
      }
      default -> {
        return randomString(random);
      }
    }
  }

  private static String randomString(Random random) {
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(12); i > 0; i--) {
      s.append(switch (random.nextInt(4)) {
        case 0 -> (char) random.nextInt(0x40);
        case 1 -> (char) ('a' + random.nextInt(26));
        case 2 -> (char) random.nextInt(0x10000);
        default -> "\"\\/\u007F".charAt(random.nextInt(4));
      });
    }
    return s.toString();
  }
}
