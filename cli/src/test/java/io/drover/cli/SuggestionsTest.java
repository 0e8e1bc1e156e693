package io.drover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  private static final List<String> COMMANDS = List.copyOf(
      Main.commandLine(CliReference.ENVIRONMENT, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
          io.drover.cli.output.Terminal.PLAIN).getSubcommands().keySet());

  @Test
  void suggestsTheNearestCommands() {
    assertEquals(List.of("apply"), Suggestions.nearest("aply", COMMANDS));
    assertEquals(List.of("status"), Suggestions.nearest("stauts", COMMANDS));
    assertEquals(List.of("rollout", "rollback"), Suggestions.nearest("roll", COMMANDS));
    assertEquals(List.of("hosts"), Suggestions.nearest("hsots", COMMANDS));
    assertEquals(List.of(), Suggestions.nearest("frobnicate", COMMANDS));
    assertEquals(List.of("--output"), Suggestions.nearest("--ouptut", List.of("--server", "--output", "-o")));
  }

  /** Every command, mistyped by one edit (a dropped, doubled, swapped or replaced letter), is suggested back. */
  @Test
  void everyCommandMistypedOnceIsSuggested() {
    long seed = 20251130L;
    Random random = new Random(seed);
    for (String command : COMMANDS) {
      for (int round = 0; round < 50; round++) {
        String typo = typo(command, random);
        if (typo.equals(command) || COMMANDS.contains(typo)) {
          continue;
        }
        List<String> near = Suggestions.nearest(typo, COMMANDS);
        assertTrue(near.contains(command), "seed " + seed + ": '" + typo + "' suggests " + near + ", not " + command);
      }
    }
  }

  @Test
  void distanceIsSymmetricAndCountsOneEditAsOne() {
    long seed = 7L;
    Random random = new Random(seed);
    for (int round = 0; round < 500; round++) {
      String a = word(random);
      String b = word(random);
      assertEquals(Suggestions.distance(a, b), Suggestions.distance(b, a), "seed " + seed + ": " + a + " / " + b);
      assertEquals(0, Suggestions.distance(a, a));
      String typo = typo(a, random);
      assertTrue(Suggestions.distance(a, typo) <= 1, "seed " + seed + ": " + a + " / " + typo);
    }
  }

  private static String word(Random random) {
    StringBuilder word = new StringBuilder();
    for (int i = 1 + random.nextInt(8); i > 0; i--) {
      word.append((char) ('a' + random.nextInt(5)));
    }
    return word.toString();
  }

  private static String typo(String word, Random random) {
    List<Character> letters = new ArrayList<>(word.chars().mapToObj(c -> (char) c).toList());
    int at = random.nextInt(letters.size());
    switch (random.nextInt(4)) {
      case 0 -> letters.remove(at);
      case 1 -> letters.add(at, letters.get(at));
      case 2 -> {
        if (at + 1 < letters.size()) {
          letters.add(at + 1, letters.remove(at));
        }
      }
      default -> letters.set(at, (char) ('a' + random.nextInt(26)));
    }
    StringBuilder typo = new StringBuilder();
    letters.forEach(typo::append);
    return typo.toString();
  }
}
