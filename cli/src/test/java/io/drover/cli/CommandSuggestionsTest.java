package io.drover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import io.drover.spec.DidYouMean;
import org.junit.jupiter.api.Test;

class CommandSuggestionsTest {
  private static final List<String> COMMANDS = List.copyOf(
      Main.commandLine(CliReference.ENVIRONMENT, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
          io.drover.cli.output.Terminal.PLAIN).getSubcommands().keySet());

  @Test
  void suggestsTheNearestCommands() {
    assertEquals(List.of("apply"), DidYouMean.nearest("aply", COMMANDS));
    assertEquals(List.of("status"), DidYouMean.nearest("stauts", COMMANDS));
    assertEquals(List.of("rollout", "rollback"), DidYouMean.nearest("roll", COMMANDS));
    assertEquals(List.of("hosts"), DidYouMean.nearest("hsots", COMMANDS));
    assertEquals(List.of(), DidYouMean.nearest("frobnicate", COMMANDS));
    assertEquals(List.of("--output"), DidYouMean.nearest("--ouptut", List.of("--server", "--output", "-o")));
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
        List<String> near = DidYouMean.nearest(typo, COMMANDS);
        assertTrue(near.contains(command), "seed " + seed + ": '" + typo + "' suggests " + near + ", not " + command);
      }
    }
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
