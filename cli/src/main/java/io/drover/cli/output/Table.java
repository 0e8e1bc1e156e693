package io.drover.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A text table: a header and rows, printed with columns aligned by two spaces. */
public final class Table {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String... header) {
    this.header = List.of(header);
  }

  /** Adds a row; it must have one cell per header column. */
  public Table row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException("row has " + cells.length + " cells, header " + header.size());
    }
    List<String> row = new ArrayList<>();
    for (Object cell : cells) {
      row.add(cell == null || cell.toString().isEmpty() ? "-" : cell.toString());
    }
    rows.add(row);
    return this;
  }

  public void print(PrintWriter out) {
    lines().forEach(out::println);
    out.flush();
  }

  /** The table's lines, header first, as {@link #print} writes them. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    int[] widths = new int[header.size()];
    for (List<String> row : withHeader()) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : withHeader()) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(row.get(i));
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
        }
      }
      lines.add(line.toString());
    }
    return lines;
  }

  private List<List<String>> withHeader() {
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    return all;
  }
}
