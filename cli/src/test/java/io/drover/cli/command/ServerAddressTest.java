package io.drover.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.drover.cli.config.CliConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerAddressTest {
  @Test
  void flagThenEnvironmentThenConfigFileThenDefault(@TempDir Path tmp) {
    CliConfig config = new CliConfig(tmp.resolve("config.yaml"));
    assertEquals(ServerOptions.DEFAULT, ServerOptions.resolve(null, null, config).toString());
    config.writeServer("from-file:7070");
    assertEquals("from-file:7070", ServerOptions.resolve(null, "", config).toString());
    assertEquals("from-env:7070", ServerOptions.resolve(null, "from-env:7070", config).toString());
    assertEquals("from-flag:7070",
        ServerOptions.resolve(ServerAddress.parse("from-flag:7070", "--server"), "from-env:7070", config).toString());
  }

  @Test
  void readsHostPortAndIpv6InBrackets() {
    assertEquals(new ServerAddress("drover.example.com", 7070, "--server"), ServerAddress.parse("drover.example.com:7070", "--server"));
    assertEquals(new ServerAddress("::1", 1, "--server"), ServerAddress.parse("[::1]:1", "--server"));
    assertEquals("[fe80::1%eth0]:65535", ServerAddress.parse("[fe80::1%eth0]:65535", "x").toString());
    assertEquals("10.0.0.7:7070", ServerAddress.parse(" 10.0.0.7:7070 ", "x").toString());
  }

  @Test
  void refusesAnythingElseSayingHowToWriteIt() {
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("http://web:7070/", "'http://web:7070/': drop the scheme http://, write HOST:PORT (web:7070)");
    refused.put("dns:///web:7070", "'dns:///web:7070': drop the scheme dns://, write HOST:PORT");
    refused.put("web", "'web' has no port: write HOST:PORT, e.g. web:7070");
    refused.put("web:", "'web:': the port must be a number from 1 to 65535, not ''");
    refused.put("web:70x", "'web:70x': the port must be a number from 1 to 65535, not '70x'");
    refused.put("web:0", "'web:0': port 0 is out of range (1 to 65535)");
    refused.put("web:65536", "'web:65536': port 65536 is out of range (1 to 65535)");
    refused.put("web:99999999999", "'web:99999999999': port 99999999999 is out of range (1 to 65535)");
    refused.put(":7070", "':7070' has no host: write HOST:PORT, e.g. 127.0.0.1:7070");
    refused.put("::1:7070", "'::1:7070': put an IPv6 address in brackets, e.g. [::1]:7070");
    refused.put("[::1]", "'[::1]': write an IPv6 address as [ADDRESS]:PORT, e.g. [::1]:7070");
    refused.put("[web]:7070", "'[web]:7070': 'web' is not an IPv6 address");
    refused.put("ana@web:7070", "'ana@web:7070': 'ana@web' is not a host name or address");
    refused.put("", "empty address: write HOST:PORT, e.g. 127.0.0.1:7070");
    refused.forEach((text, message) -> assertEquals(message,
        assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse(text, "--server")).getMessage(), text));
  }
}
