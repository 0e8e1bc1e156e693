package io.drover.agent.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SupervisordSocketTest {

  @Test
  void readsTheUnixHttpServerFileWithoutItsComment() {
    String conf = """
        [supervisorctl]
        serverurl=unix:///elsewhere.sock
        [unix_http_server]
        ; a comment
        file=/var/run/supervisor.sock   ; (the path to the socket file)
        chmod=0700
        [supervisord]
        file=/not/this
        """;
    assertEquals("/var/run/supervisor.sock", SupervisordSocket.fileIn(conf, "/etc/supervisor"));
  }

  @Test
  void findsATcpControlPort() {
    assertTrue(SupervisordSocket.hasInetHttpServer("[unix_http_server]\nfile=/x\n [inet_http_server] \nport=*:9001\n"));
    assertFalse(SupervisordSocket.hasInetHttpServer("[unix_http_server]\nfile=/x\n;[inet_http_server]\n"));
  }

  @Test
  void expandsHere() {
    assertEquals("/etc/sup/run/s.sock", SupervisordSocket.fileIn("[unix_http_server]\nfile = %(here)s/run/s.sock\n", "/etc/sup"));
  }

  @Test
  void nullWithoutAUnixHttpServer() {
    assertNull(SupervisordSocket.fileIn("[inet_http_server]\nport=127.0.0.1:9001\n", "/etc"));
  }

  @Test
  void theConfigIsTheOneSupervisorctlIsGiven() {
    assertEquals(Path.of("/etc/s.conf"), SupervisordSocket.configOf(List.of("/usr/bin/supervisorctl", "-c", "/etc/s.conf")));
    assertEquals(Path.of("/etc/s.conf"), SupervisordSocket.configOf(List.of("supervisorctl", "--configuration=/etc/s.conf")));
    assertEquals(SupervisordSocket.DEFAULT_CONFIG, SupervisordSocket.configOf(List.of("/usr/bin/supervisorctl")));
  }

  @Test
  void theDefaultSocketWhenTheConfigIsMissing() {
    assertEquals(SupervisordSocket.DEFAULT_SOCKET, SupervisordSocket.of(Path.of("/nonexistent/supervisord.conf")));
  }
}
