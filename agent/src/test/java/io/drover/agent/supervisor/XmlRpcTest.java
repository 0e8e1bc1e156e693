package io.drover.agent.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class XmlRpcTest {

  @Test
  void buildsAMethodCallWithEscapedParameters() {
    assertEquals("<?xml version=\"1.0\"?><methodCall><methodName>supervisor.stopProcess</methodName><params>"
            + "<param><value><string>a&lt;b&amp;c</string></value></param>"
            + "<param><value><boolean>1</boolean></value></param>"
            + "<param><value><int>7</int></value></param></params></methodCall>",
        XmlRpc.request("supervisor.stopProcess", "a<b&c", true, 7));
  }

  @Test
  void parsesAStructAsSupervisordWritesIt() {
    String xml = """
        <?xml version='1.0'?>
        <methodResponse>
        <params>
        <param>
        <value><struct>
        <member>
        <name>name</name>
        <value><string>drover-hello-2</string></value>
        </member>
        <member>
        <name>pid</name>
        <value><int>4242</int></value>
        </member>
        <member>
        <name>statename</name>
        <value><string>RUNNING</string></value>
        </member>
        <member>
        <name>description</name>
        <value><string>pid 4242, uptime 0:00:01 &amp; &lt;more&gt;</string></value>
        </member>
        <member>
        <name>spawnerr</name>
        <value><string></string></value>
        </member>
        </struct></value>
        </param>
        </params>
        </methodResponse>
        """;
    assertEquals(Map.of("name", "drover-hello-2", "pid", 4242, "statename", "RUNNING",
        "description", "pid 4242, uptime 0:00:01 & <more>", "spawnerr", ""), XmlRpc.response("m", xml));
  }

  @Test
  void parsesNestedArraysBooleansAndUntypedStrings() {
    String xml = "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n"
        + "<value><array><data>\n<value><array><data>\n<value><string>drover-a-1</string></value>\n</data></array></value>\n"
        + "<value><array><data>\n</data></array></value>\n<value><array><data/></array></value>\n"
        + "</data></array></value>\n<value><boolean>1</boolean></value>\n<value>plain</value>\n<value><double>1.5</double></value>\n"
        + "</data></array></value>\n</param>\n</params>\n</methodResponse>\n";
    assertEquals(List.of(List.of(List.of("drover-a-1"), List.of(), List.of()), true, "plain", 1.5),
        XmlRpc.response("supervisor.reloadConfig", xml));
  }

  @Test
  void turnsAFaultIntoAnExceptionWithItsCode() {
    String xml = "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n"
        + "<member>\n<name>faultCode</name>\n<value><int>10</int></value>\n</member>\n"
        + "<member>\n<name>faultString</name>\n<value><string>BAD_NAME: drover-x-1</string></value>\n</member>\n"
        + "</struct></value>\n</fault>\n</methodResponse>\n";
    XmlRpc.FaultException e = assertThrows(XmlRpc.FaultException.class,
        () -> XmlRpc.response("supervisor.getProcessInfo", xml));
    assertEquals(10, e.code());
    assertEquals("supervisor.getProcessInfo failed: BAD_NAME: drover-x-1 (fault 10)", e.getMessage());
  }

  @Test
  void refusesWhatIsNotAnXmlRpcAnswer() {
    assertThrows(XmlRpc.MalformedException.class, () -> XmlRpc.response("m", "<html>oops</html>"));
    assertThrows(XmlRpc.MalformedException.class,
        () -> XmlRpc.response("m", "<methodResponse><params><param><value><base64>AA==</base64></value>"));
  }
}
