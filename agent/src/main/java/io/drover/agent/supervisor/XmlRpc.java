package io.drover.agent.supervisor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small part of XML-RPC that supervisord speaks: method calls with string, int and boolean
 * parameters, and responses made of strings, ints, booleans, doubles, arrays and structs, or a
 * fault. Hand-written so the agent loads no XML parser: supervisord's answers are regular and
 * small.
 */
public final class XmlRpc {
  private XmlRpc() {}

  /** A {@code <fault>} answer: supervisord's fault code (e.g. 10 BAD_NAME) and its message. */
  public static final class FaultException extends RuntimeException {
    private final int code;

    public FaultException(String method, int code, String faultString) {
      super(method + " failed: " + faultString + " (fault " + code + ")");
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  /** An answer that is not the XML-RPC we expect. */
  public static final class MalformedException extends RuntimeException {
    public MalformedException(String message) {
      super(message);
    }
  }

  /** The {@code <methodCall>} document for {@code method} with String, Integer/Long or Boolean params. */
  public static String request(String method, Object... params) {
    StringBuilder b = new StringBuilder(128);
    b.append("<?xml version=\"1.0\"?><methodCall><methodName>").append(escape(method)).append("</methodName><params>");
    for (Object p : params) {
      b.append("<param><value>");
      switch (p) {
        case String s -> b.append("<string>").append(escape(s)).append("</string>");
        case Boolean t -> b.append("<boolean>").append(t ? '1' : '0').append("</boolean>");
        case Integer i -> b.append("<int>").append(i).append("</int>");
        case Long l -> b.append("<int>").append(l).append("</int>");
        default -> throw new IllegalArgumentException("unsupported XML-RPC parameter type: " + p.getClass().getName());
      }
      b.append("</value></param>");
    }
    return b.append("</params></methodCall>").toString();
  }

  /**
   * The value of a {@code <methodResponse>}: String, Integer, Boolean, Double, {@code List<Object>},
   * {@code Map<String, Object>} or null ({@code <nil/>}).
   *
   * @throws FaultException when the answer is a fault
   */
  public static Object response(String method, String xml) {
    Reader r = new Reader(xml);
    r.skipProlog();
    r.open("methodResponse");
    Object result;
    if (r.peekOpen("fault")) {
      r.open("fault");
      Object fault = r.value();
      if (!(fault instanceof Map<?, ?> m) || !(m.get("faultCode") instanceof Integer code)) {
        throw new MalformedException("malformed fault in answer to " + method);
      }
      throw new FaultException(method, code, String.valueOf(m.get("faultString")));
    }
    r.open("params");
    r.open("param");
    result = r.value();
    r.close("param");
    r.close("params");
    r.close("methodResponse");
    return result;
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  static String unescape(String s) {
    if (s.indexOf('&') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      int semi = c == '&' ? s.indexOf(';', i) : -1;
      if (semi < 0) {
        b.append(c);
        i++;
        continue;
      }
      String entity = s.substring(i + 1, semi);
      switch (entity) {
        case "amp" -> b.append('&');
        case "lt" -> b.append('<');
        case "gt" -> b.append('>');
        case "quot" -> b.append('"');
        case "apos" -> b.append('\'');
        default -> {
          if (entity.startsWith("#x")) {
            b.appendCodePoint(Integer.parseInt(entity.substring(2), 16));
          } else if (entity.startsWith("#")) {
            b.appendCodePoint(Integer.parseInt(entity.substring(1)));
          } else {
            throw new MalformedException("unknown XML entity &" + entity + ";");
          }
        }
      }
      i = semi + 1;
    }
    return b.toString();
  }

  /** A cursor over the document's tags; whitespace between tags is skipped. */
  private static final class Reader {
    private final String xml;
    private int pos;

    Reader(String xml) {
      this.xml = xml;
    }

    void skipProlog() {
      skipSpace();
      if (xml.startsWith("<?", pos)) {
        pos = indexOrFail("?>", pos) + 2;
      }
    }

    boolean peekOpen(String name) {
      skipSpace();
      return xml.startsWith("<" + name + ">", pos);
    }

    void open(String name) {
      skipSpace();
      expect("<" + name + ">");
    }

    void close(String name) {
      skipSpace();
      expect("</" + name + ">");
    }

    /** Reads one {@code <value>...</value>}. */
    Object value() {
      open("value");
      if (xml.startsWith("</value>", pos)) { // <value></value>: an empty untyped string
        pos += "</value>".length();
        return "";
      }
      if (xml.charAt(pos) != '<') { // untyped text is a string
        int end = indexOrFail("</value>", pos);
        String text = unescape(xml.substring(pos, end));
        pos = end + "</value>".length();
        return text;
      }
      int tagEnd = indexOrFail(">", pos);
      String tag = xml.substring(pos + 1, tagEnd);
      Object v;
      if (tag.endsWith("/")) { // <nil/>, <string/>
        pos = tagEnd + 1;
        v = tag.startsWith("string") ? "" : null;
      } else {
        pos = tagEnd + 1;
        v = switch (tag) {
          case "string" -> unescape(text("string"));
          case "int", "i4" -> parseInt(text(tag));
          case "boolean" -> "1".equals(text("boolean").strip());
          case "double" -> Double.parseDouble(text("double").strip());
          case "array" -> array();
          case "struct" -> struct();
          default -> throw new MalformedException("unsupported XML-RPC type <" + tag + ">");
        };
      }
      close("value");
      return v;
    }

    private List<Object> array() {
      List<Object> items = new ArrayList<>();
      skipSpace();
      if (xml.startsWith("<data/>", pos)) {
        pos += "<data/>".length();
      } else {
        open("data");
        while (peekOpen("value")) {
          items.add(value());
        }
        close("data");
      }
      close("array");
      return items;
    }

    private Map<String, Object> struct() {
      Map<String, Object> members = new LinkedHashMap<>();
      while (peekOpen("member")) {
        open("member");
        open("name");
        String name = unescape(text("name"));
        members.put(name, value());
        close("member");
      }
      close("struct");
      return members;
    }

    /** The raw text up to {@code </tag>}, consuming the closing tag. */
    private String text(String tag) {
      String end = "</" + tag + ">";
      int at = indexOrFail(end, pos);
      String text = xml.substring(pos, at);
      pos = at + end.length();
      return text;
    }

    private static int parseInt(String s) {
      try {
        return Integer.parseInt(s.strip());
      } catch (NumberFormatException e) {
        throw new MalformedException("not an XML-RPC int: " + s);
      }
    }

    private void expect(String token) {
      if (!xml.startsWith(token, pos)) {
        throw new MalformedException("expected " + token + " at offset " + pos + " of the XML-RPC answer, found '"
            + xml.substring(pos, Math.min(xml.length(), pos + 40)) + "'");
      }
      pos += token.length();
    }

    private int indexOrFail(String token, int from) {
      int at = xml.indexOf(token, from);
      if (at < 0) {
        throw new MalformedException("missing " + token + " in the XML-RPC answer");
      }
      return at;
    }

    private void skipSpace() {
      while (pos < xml.length() && Character.isWhitespace(xml.charAt(pos))) {
        pos++;
      }
    }
  }
}
