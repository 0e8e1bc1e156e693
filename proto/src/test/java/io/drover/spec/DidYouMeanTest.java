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
}
