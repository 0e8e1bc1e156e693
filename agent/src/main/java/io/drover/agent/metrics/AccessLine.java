package io.drover.agent.metrics;

import java.util.Optional;

/**
 * What request metrics take from one line of an app's nginx access log, written in the agent's
 * format ({@code NginxSite.LOG_FORMAT}): {@code … "$request" $status $body_bytes_sent "$http_referer"
 * "$http_user_agent" rt=$request_time urt=$upstream_response_time}. nginx escapes {@code "} inside
 * variables as {@code \x22}, so the request's closing quote is the first {@code "} after its opening one.
 *
 * @param status the HTTP status nginx answered
 * @param seconds {@code $request_time}: from the request's first byte to the response's last
 * @param userAgent the client's User-Agent as nginx wrote it ({@code -} when none)
 */
public record AccessLine(int status, double seconds, String userAgent) {

  /** The line's status and duration; empty for a line in another format. */
  public static Optional<AccessLine> parse(String line) {
    int open = line.indexOf("] \"");
    if (open < 0) {
      return Optional.empty();
    }
    int close = line.indexOf("\" ", open + 3);
    int rt = line.lastIndexOf(" rt=");
    if (close < 0 || rt < close || line.length() < close + 5) {
      return Optional.empty();
    }
    String status = line.substring(close + 2, close + 5);
    int agentEnd = rt - 1;
    int agentStart = line.lastIndexOf('"', agentEnd - 1);
    if (agentEnd <= close || line.charAt(agentEnd) != '"' || agentStart <= close) {
      return Optional.empty();
    }
    int end = line.indexOf(' ', rt + 4);
    try {
      int code = Integer.parseInt(status);
      double seconds = Double.parseDouble(line.substring(rt + 4, end < 0 ? line.length() : end));
      if (code < 100 || code > 599 || !(seconds >= 0)) {
        return Optional.empty();
      }
      return Optional.of(new AccessLine(code, seconds, line.substring(agentStart + 1, agentEnd)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
