package dev.envforge.operator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The lines of target/envforge-api-calls.txt, which the chart's RBAC test reads. */
class ApiCallLogTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      GET    | /apis/batch/v1/jobs?labelSelector=a%3Db&watch=true          | watch GET batch jobs cluster
      GET    | /apis/batch/v1/jobs?labelSelector=a%3Db                     | list GET batch jobs cluster
      GET    | /api/v1/namespaces/team-a/secrets/push                      | get GET core secrets namespaced
      POST   | /api/v1/namespaces/team-a/events                            | create POST core events namespaced
      PATCH  | /apis/envforge.dev/v1alpha1/namespaces/a/pythonenvironments/x/status | patch PATCH envforge.dev pythonenvironments/status namespaced
      PUT    | /apis/coordination.k8s.io/v1/namespaces/ops/leases/lock     | update PUT coordination.k8s.io leases namespaced
      DELETE | /api/v1/namespaces/team-a/configmaps?labelSelector=x%3Dy    | deletecollection DELETE core configmaps namespaced
      DELETE | /apis/batch/v1/namespaces/team-a/jobs/envforge-build-1      | delete DELETE batch jobs namespaced
      GET    | /api/v1/namespaces/team-a                                   | get GET core namespaces cluster
      POST   | /apis/authorization.k8s.io/v1/selfsubjectrulesreviews       | create POST authorization.k8s.io selfsubjectrulesreviews cluster
      GET    | /version                                                    | nonresource GET - /version cluster
      """)
  void describesEachRequestAsVerbMethodGroupResourceAndScope(String method, String path, String line) {
    assertThat(ApiCallLog.describe(method, path)).isEqualTo(line);
  }
}
