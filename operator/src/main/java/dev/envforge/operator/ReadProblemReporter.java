package dev.envforge.operator;

import dev.envforge.api.v1alpha1.PythonEnvironment;
import dev.envforge.api.v1alpha1.ReadProblem;
import io.javaoperatorsdk.operator.processing.event.source.filter.GenericFilter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at every PythonEnvironment the informer delivers before it reaches the reconciler, and tells people once
 * when this build cannot fully read one: fields of the spec it does not know (ignored; the resource is reconciled)
 * and a spec or status it cannot read at all (a field of the wrong type). A resource whose spec cannot be read is
 * skipped, so it cannot stop the informer or the other resources; it is still let through while it is being deleted,
 * so its finalizer comes off. Each report is one warning Event and one log line naming the resource and the field.
 */
final class ReadProblemReporter implements GenericFilter<PythonEnvironment> {
  static final String IGNORED_FIELDS = "UnknownFieldsIgnored";
  static final String UNREADABLE_SPEC = "UnreadableSpec";
  static final String UNREADABLE_STATUS = "UnreadableStatus";
  private static final Logger LOG = LoggerFactory.getLogger(ReadProblemReporter.class);

  private final EventRecorder events;
  /** The last report per resource UID and reason, so a problem is reported once, and again only when it changes. */
  private final Map<String, String> reported = new ConcurrentHashMap<>();

  ReadProblemReporter(EventRecorder events) {
    this.events = events;
  }

  @Override
  public boolean accept(PythonEnvironment resource) {
    boolean deleting = resource.getMetadata().getDeletionTimestamp() != null;
    ReadProblem problem = resource.readProblem().orElse(null);
    if (deleting) {
      String uid = resource.getMetadata().getUid() + "/";
      reported.keySet().removeIf(key -> key.startsWith(uid));
    } else {
      String ignored = String.join(", ", resource.ignoredSpecFields());
      reportOnce(resource, IGNORED_FIELDS, ignored.isEmpty() ? null : ignored,
          () -> (resource.ignoredSpecFields().size() == 1 ? ignored + " is" : ignored + " are")
              + " not known to this version of envforge and ignored; the CRD is newer than the operator");
      boolean specProblem = problem != null && ReadProblem.SPEC.equals(problem.part());
      reportOnce(resource, UNREADABLE_SPEC, specProblem ? problem.toString() : null,
          () -> problem + "; the resource is skipped until this version of envforge can read its spec (is the CRD"
              + " of another version than the operator?)");
      boolean statusProblem = problem != null && ReadProblem.STATUS.equals(problem.part());
      reportOnce(resource, UNREADABLE_STATUS, statusProblem ? problem.toString() : null,
          () -> problem + "; the status is computed afresh");
    }
    return deleting || problem == null || !ReadProblem.SPEC.equals(problem.part());
  }

  private void reportOnce(PythonEnvironment resource, String reason, String subject,
      Supplier<String> message) {
    String key = resource.getMetadata().getUid() + "/" + reason;
    if (subject == null) {
      reported.remove(key);
      return;
    }
    if (subject.equals(reported.put(key, subject))) {
      return;
    }
    String text = message.get();
    LOG.warn("resource={}/{} reason={} message=\"{}\"", resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(), reason, text);
    events.warning(resource, reason, subject, text);
  }
}
