package dev.envforge.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.envforge.core.text.Texts;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one place that decides how envforge reads its API objects, used by the operator (informers, the status it
 * reads back, JOSDK's copies) and the command line's manifests alike.
 *
 * <p>Fields this build does not know are ignored, in the spec and the status, at every depth: a newer CRD may declare
 * them and the API server then keeps them. Every envforge resource ({@link EnvforgeResource}) reads its spec and
 * status through {@link #mapper()} whatever ObjectMapper reads the resource, so every API type, present and future,
 * tolerates unknown fields without an annotation of its own. A field of the wrong type makes the part unreadable; the resource then carries a
 * {@link ReadProblem} instead of throwing, so one bad resource cannot stop an informer.
 */
public final class ApiSerialization {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  // fabric8's modules and settings first (quantities, times, Go compatibility), then ours
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization(MAPPER, true);

  /** The reader attribute under which the fields skipped while reading one part are collected. */
  private static final Object IGNORED_FIELDS = new Object();

  static {
    MAPPER.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    MAPPER.disable(DeserializationFeature.FAIL_ON_IGNORED_PROPERTIES);
    MAPPER.addHandler(new DeserializationProblemHandler() {
      @Override
      public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser,
          JsonDeserializer<?> deserializer, Object beanOrClass, String propertyName) throws IOException {
        if (context.getAttribute(IGNORED_FIELDS) instanceof List<?> fields) {
          @SuppressWarnings("unchecked")
          List<String> names = (List<String>) fields;
          names.add(pathOf(parser, propertyName));
        }
        parser.skipChildren();
        return true;
      }
    });
  }

  private ApiSerialization() {}

  /**
   * A fabric8 serialization that reads YAML and JSON manifests the same way as the operator: unknown fields
   * ignored. For clients and the command line.
   */
  public static KubernetesSerialization kubernetesSerialization() {
    return SERIALIZATION;
  }

  /** The mapper the spec and status of every resource are read with. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Reads one PythonEnvironment manifest (YAML or JSON). Unknown fields are ignored; a field of the wrong type is an
   * {@link IllegalArgumentException} whose message names the source and the field.
   *
   * @param source what the text came from, e.g. a file name, for the message
   */
  public static PythonEnvironment readManifest(String text, String source) {
    PythonEnvironment resource;
    try {
      resource = SERIALIZATION.unmarshal(text, PythonEnvironment.class);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(source + ": not a PythonEnvironment manifest: "
          + Texts.escape(String.valueOf(e.getMessage())), e);
    }
    if (resource == null) {
      throw new IllegalArgumentException(source + ": empty manifest");
    }
    if (resource.readProblem().isPresent()) {
      throw new IllegalArgumentException(source + ": " + resource.readProblem().get());
    }
    return resource;
  }

  /** Reads one part of a resource; a failure becomes a {@link ReadProblem} that names the field. */
  static <T> Read<T> readPart(JsonNode node, String part, JavaType type) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return new Read<>(null, null, List.of());
    }
    List<String> ignored = new ArrayList<>();
    try {
      T value = MAPPER.readerFor(type).withAttribute(IGNORED_FIELDS, ignored).readValue(node);
      return new Read<>(value, null, ignored.stream().map(f -> part + f).sorted().toList());
    } catch (JsonMappingException e) {
      return new Read<>(null, problem(part, node, e), List.of());
    } catch (IOException | IllegalArgumentException e) {
      return new Read<>(null, new ReadProblem(part, part, Texts.escape(String.valueOf(e.getMessage()))), List.of());
    }
  }

  /** One part of a resource: its value, or why it could not be read; and the unknown fields that were skipped. */
  record Read<T>(T value, ReadProblem problem, List<String> ignoredFields) {}

  /** Where an unknown property sits below the part being read, e.g. {@code .variants[0].color}. */
  private static String pathOf(JsonParser parser, String propertyName) {
    JsonStreamContext holder = parser.getParsingContext();
    // parsers differ in whether the value's own context is open yet when its start token is current
    if (!(holder.inObject() && propertyName.equals(holder.getCurrentName())) && holder.getParent() != null) {
      holder = holder.getParent();
    }
    Deque<String> segments = new ArrayDeque<>();
    segments.push("." + Texts.escape(propertyName));
    for (JsonStreamContext c = holder.getParent(); c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inObject()) {
        segments.push("." + Texts.escape(String.valueOf(c.getCurrentName())));
      } else if (c.inArray()) {
        segments.push("[" + c.getCurrentIndex() + "]");
      }
    }
    return String.join("", segments);
  }

  private static ReadProblem problem(String part, JsonNode root, JsonMappingException e) {
    StringBuilder field = new StringBuilder(part);
    JsonNode found = root;
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        field.append('.').append(Texts.escape(ref.getFieldName()));
        found = found == null ? null : found.get(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        field.append('[').append(ref.getIndex()).append(']');
        found = found == null ? null : found.get(ref.getIndex());
      }
    }
    String message;
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      message = "expected " + expected(m.getTargetType()) + ", found " + describe(found);
    } else {
      String cause = Texts.escape(String.valueOf(e.getOriginalMessage())).replaceAll("\\.$", "");
      message = cause + ", found " + describe(found);
    }
    return new ReadProblem(part, field.toString(), message);
  }

  private static String expected(Class<?> type) {
    if (type.isEnum()) {
      return "one of " + Arrays.stream(type.getEnumConstants())
          .map(c -> mapper().valueToTree(c).asText()).collect(Collectors.joining(", "));
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    return "an object";
  }

  private static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    if (node.isNull()) {
      return "null";
    }
    if (node.isTextual()) {
      return "the string " + Texts.quote(node.asText());
    }
    if (node.isBoolean()) {
      return "the boolean " + node.asText();
    }
    if (node.isNumber()) {
      return "the number " + Texts.escape(node.asText());
    }
    if (node.isArray()) {
      return "a list";
    }
    return "an object";
  }
}
