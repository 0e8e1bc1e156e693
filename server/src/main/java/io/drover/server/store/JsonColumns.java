package io.drover.server.store;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.drover.api.v1.HostFacts;
import io.drover.api.v1.ProcessState;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON kept in text columns: host labels, host facts, log tails and process states. */
final class JsonColumns {
  private static final Gson GSON = new Gson();
  private static final TypeToken<Map<String, String>> LABELS = new TypeToken<>() {};
  private static final TypeToken<List<String>> LINES = new TypeToken<>() {};

  private JsonColumns() {}

  /** Labels as a JSON object sorted by label, so equal labels give equal text. */
  static String labels(Map<String, String> labels) {
    return GSON.toJson(new TreeMap<>(labels));
  }

  static Map<String, String> labels(String json) {
    return Map.copyOf(GSON.fromJson(json, LABELS));
  }

  static String lines(List<String> lines) {
    return GSON.toJson(lines);
  }

  static List<String> lines(String json) {
    return List.copyOf(GSON.fromJson(json, LINES));
  }

  private static final TypeToken<List<AppView.Process>> PROCESSES = new TypeToken<>() {};

  static String processes(List<ProcessState> processes) {
    return GSON.toJson(processes.stream()
        .map(p -> new AppView.Process(p.getName(), p.getRunning(), p.getWanted(), p.getOtherStatesList())).toList());
  }

  static List<AppView.Process> processes(String json) {
    return GSON.fromJson(json, PROCESSES).stream()
        .map(r -> new AppView.Process(r.name(), r.running(), r.wanted(), r.otherStates()))
        .toList();
  }

  static String facts(HostFacts facts) {
    try {
      return JsonFormat.printer().omittingInsignificantWhitespace().print(facts);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print host facts as JSON", e);
    }
  }
}
