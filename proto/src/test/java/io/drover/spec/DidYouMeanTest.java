package io.drover.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {
  private static final List<String> TOP =
      List.of("name", "source", "gunicorn", "nginx", "health", "env", "secrets", "placement", "update", "user");
  private static final List<String> UPDATE = List.of("max_parallel", "min_healthy", "deadline", "auto_revert");

  @Test
  void typosFindTheirWord() {
    assertEquals(Optional.of("workers"), DidYouMean.closest("wokers", List.of("app", "workers")));
    assertEquals(Optional.of("workers"), DidYouMean.closest("wrokers", List.of("app", "workers")));
    assertEquals(Optional.of("placement"), DidYouMean.closest("placment", TOP));
    assertEquals(Optional.of("secrets"), DidYouMean.closest("secret", TOP));
    assertEquals(Optional.of("user"), DidYouMean.closest("usr", TOP));
    assertEquals(Optional.of("env"), DidYouMean.closest("ENV", TOP));
    assertEquals(Optional.of("max_parallel"), DidYouMean.closest("max_paralel", UPDATE));
    assertEquals(Optional.of("max_parallel"), DidYouMean.closest("max", UPDATE), "a prefix of one word");
    assertEquals(Optional.of("auto_revert"), DidYouMean.closest("autorevert", UPDATE));
  }

  @Test
  void farOrAmbiguousWordsFindNone() {
    assertEquals(Optional.empty(), DidYouMean.closest("image", TOP));
    assertEquals(Optional.empty(), DidYouMean.closest("batch", UPDATE));
    assertEquals(Optional.empty(), DidYouMean.closest("x", TOP));
    assertEquals(Optional.empty(), DidYouMean.closest("mi", UPDATE));
    assertEquals(Optional.empty(), DidYouMean.closest("replicas", TOP));
  }

  @Test
  void distanceCountsASwapAsOne() {
    assertEquals(0, DidYouMean.distance("abc", "abc"));
    assertEquals(1, DidYouMean.distance("abc", "acb"));
    assertEquals(1, DidYouMean.distance("abc", "ab"));
    assertEquals(1, DidYouMean.distance("teh", "the"));
    assertEquals(2, DidYouMean.distance("wrokes", "workers"));
    assertEquals(3, DidYouMean.distance("", "abc"));
  }

  @Test
  void nearestListsEveryWordAsCloseAsTheClosest() {
    List<String> commands = List.of("apply", "plan", "rollout", "rollback", "status", "hosts", "host");
    assertEquals(List.of("rollout", "rollback"), DidYouMean.nearest("roll", commands), "both start with it");
    assertEquals(List.of("host"), DidYouMean.nearest("hsot", commands));
    assertEquals(List.of(), DidYouMean.nearest("frobnicate", commands));
    assertEquals(Optional.empty(), DidYouMean.closest("roll", commands), "ambiguous");
  }

  @Test
  void distanceIsSymmetricAndCountsOneEditAsOne() {
    long seed = 7L;
    java.util.Random random = new java.util.Random(seed);
    for (int round = 0; round < 500; round++) {
      String a = word(random);
      String b = word(random);
      assertEquals(DidYouMean.distance(a, b), DidYouMean.distance(b, a), "seed " + seed + ": " + a + " / " + b);
      assertEquals(0, DidYouMean.distance(a, a));
      StringBuilder typo = new StringBuilder(a);
      int at = random.nextInt(a.length());
      switch (random.nextInt(3)) {
        case 0 -> typo.deleteCharAt(at);
        case 1 -> typo.insert(at, 'z');
        default -> typo.setCharAt(at, 'z');
      }
      org.junit.jupiter.api.Assertions.assertTrue(DidYouMean.distance(a, typo.toString()) <= 1,
          "seed " + seed + ": " + a + " / " + typo);
    }
  }

  private static String word(java.util.Random random) {
    StringBuilder word = new StringBuilder();
    for (int i = 1 + random.nextInt(8); i > 0; i--) {
      word.append((char) ('a' + random.nextInt(5)));
    }
    return word.toString();
  }
}
