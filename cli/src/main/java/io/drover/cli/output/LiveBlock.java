package io.drover.cli.output;

import java.io.PrintWriter;
import java.util.List;

/**
 * A block of lines on a terminal that is redrawn in place: each {@link #show} moves the cursor back
 * over the previous block, clears it and writes the new lines. Only for terminals; pipes get plain
 * lines instead.
 */
public final class LiveBlock {
  private static final String CURSOR_UP_TO_START = "\u001b[%dF";
  private static final String CLEAR_LINE = "\u001b[2K";

  private final PrintWriter out;
  private int shown;

  public LiveBlock(PrintWriter out) {
    this.out = out;
  }

  /** Replaces the block on screen with {@code lines}. */
  public void show(List<String> lines) {
    StringBuilder sb = new StringBuilder();
    if (shown > 0) {
      sb.append(String.format(CURSOR_UP_TO_START, shown));
    }
    for (String line : lines) {
      sb.append(CLEAR_LINE).append(line).append('\n');
    }
    for (int extra = lines.size(); extra < shown; extra++) {
      sb.append(CLEAR_LINE).append('\n'); // blank what the shorter block no longer covers
    }
    int drawn = Math.max(lines.size(), shown);
    if (drawn > lines.size()) {
      sb.append(String.format(CURSOR_UP_TO_START, drawn - lines.size()));
    }
    shown = lines.size();
    out.print(sb);
    out.flush();
  }
}
