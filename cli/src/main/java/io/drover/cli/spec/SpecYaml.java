package io.drover.cli.spec;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import io.drover.api.v1.App;
import io.drover.api.v1.AppSpec;
import io.drover.spec.SpecFields;
import io.drover.spec.SpecTree;
import java.util.Map;

/**
 * Writes a stored app back in the spec file format ({@link SpecTree#write}); {@code source} is
 * replaced by a comment naming the bundle, since the server keeps the bundle, not the directory; each
 * secret shows its name with {@link #SECRET} for a value, whatever the server sent.
 */
public final class SpecYaml {
  /** What is shown instead of a secret's value. */
  public static final String SECRET = SpecFields.MASK;

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .stringQuotingChecker(new ExactStrings())
              .build());

  private SpecYaml() {}

  public static String write(App app) {
    AppSpec spec = app.getSpec();
    try {
      return "# revision " + app.getRevision() + ", bundle sha256 " + spec.getBundleSha256() + "\n"
          + YAML.writeValueAsString(YamlTree.json(SpecTree.write(spec)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the spec of " + spec.getName() + " as YAML", e);
    }
  }

  /** The app with every secret value replaced by {@link #SECRET}. */
  public static App masked(App app) {
    AppSpec masked = SpecFields.masked(app.getSpec());
    return masked == app.getSpec() ? app : app.toBuilder().setSpec(masked).build();
  }

  /**
   * Quotes every string that, as the YAML writer alone would write it, reads back as something else:
   * a number ({@code "0.50"}, a domain {@code "123"}), a boolean, null, or nothing readable ({@code
   * ".inf"}).
   */
  private static final class ExactStrings extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper TRIAL =
        new ObjectMapper(YAMLFactory.builder().enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build());

    @Override
    public boolean needToQuoteValue(String value) {
      return super.needToQuoteValue(value) || readsBackAsSomethingElse(value);
    }

    private static boolean readsBackAsSomethingElse(String value) {
      try {
        JsonNode read = TRIAL.readTree(TRIAL.writeValueAsString(Map.of("v", value))).get("v");
        return read == null || !read.isTextual() || !read.textValue().equals(value);
      } catch (JacksonException e) {
        return true;
      }
    }
  }
}
