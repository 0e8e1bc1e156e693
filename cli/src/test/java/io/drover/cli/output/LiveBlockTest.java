package io.drover.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveBlockTest {
  @Test
  void redrawsTheBlockInPlace() {
    StringWriter text = new StringWriter();
    LiveBlock block = new LiveBlock(new PrintWriter(text));
    block.show(List.of("web-1: pending", "web-2: pending"));
    block.show(List.of("web-1: running"));
    assertEquals("\u001b[2Kweb-1: pending\n\u001b[2Kweb-2: pending\n"
        + "\u001b[2F\u001b[2Kweb-1: running\n\u001b[2K\n\u001b[1F", text.toString());
  }

  @Test
  void colourOnlyWhenAsked() {
    assertEquals("ok", Terminal.PLAIN.good("ok"));
    assertEquals("\u001b[31mno\u001b[0m", new Terminal(true, true, true).bad("no"));
  }
}
