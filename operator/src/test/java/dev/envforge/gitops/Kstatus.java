package dev.envforge.gitops;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * kstatus's rules for a custom resource (sigs.k8s.io/cli-utils, pkg/kstatus/status: {@code Compute},
 * {@code checkGenericProperties}, {@code checkGeneration}, {@code checkReadyCondition}), written again in Java from
 * its published source so tests can read the operator's statuses as Flux and {@code kubectl wait} tooling do.
 * Order of the rules as there: deletion, generation, Reconciling, Stalled, then the Ready fallback, else Current.
 */
final class Kstatus {

  enum Status { IN_PROGRESS, FAILED, CURRENT, TERMINATING }

  record Result(Status status, String message) {}

  private Kstatus() {}

  static Result compute(JsonNode object) {
    JsonNode deletion = object.path("metadata").path("deletionTimestamp");
    if (deletion.isTextual() && !deletion.asText().isEmpty()) {
      return new Result(Status.TERMINATING, "Resource scheduled for deletion");
    }
    JsonNode generation = object.path("metadata").path("generation");
    JsonNode observed = object.path("status").path("observedGeneration");
    if (generation.isIntegralNumber() && observed.isIntegralNumber() && generation.asLong() != observed.asLong()) {
      return new Result(Status.IN_PROGRESS, "generation is " + generation.asLong()
          + ", but latest observed generation is " + observed.asLong());
    }
    JsonNode conditions = object.path("status").path("conditions");
    for (JsonNode c : conditions) {
      if ("Reconciling".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        return new Result(Status.IN_PROGRESS, c.path("message").asText());
      }
      if ("Stalled".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        return new Result(Status.FAILED, c.path("message").asText());
      }
    }
    for (JsonNode c : conditions) {
      if (!"Ready".equals(c.path("type").asText())) {
        continue;
      }
      switch (c.path("status").asText()) {
        case "True":
          return new Result(Status.CURRENT, "Resource is Ready");
        case "False":
        case "Unknown":
          return new Result(Status.IN_PROGRESS, c.path("message").asText());
        default:
          break;
      }
    }
    return new Result(Status.CURRENT, "Resource is current");
  }
}
