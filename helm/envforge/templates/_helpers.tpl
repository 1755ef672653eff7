{{/* Name of the chart, or nameOverride. */}}
{{- define "envforge.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's objects. */}}
{{- define "envforge.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "envforge.selectorLabels" -}}
app.kubernetes.io/name: {{ include "envforge.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "envforge.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "envforge.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: envforge
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "envforge.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "envforge.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The operator image: digest wins over tag, tag defaults to appVersion. */}}
{{- define "envforge.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* "true" when more than one replica runs or leader election is asked for. */}}
{{- define "envforge.leaderElection" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.replicaCount) 1) }}true{{ end }}
{{- end }}

{{/* The builder settings file: the builder values a resource's spec.builder can override, empty ones left out. */}}
{{- define "envforge.builderSettings" -}}
{{- $b := .Values.builder }}
{{- $settings := dict }}
{{- $requests := dict }}
{{- range $k, $v := $b.resources.requests }}{{- if $v }}{{- $_ := set $requests $k (toString $v) }}{{- end }}{{- end }}
{{- $limits := dict }}
{{- range $k, $v := $b.resources.limits }}{{- if $v }}{{- $_ := set $limits $k (toString $v) }}{{- end }}{{- end }}
{{- $resources := dict }}
{{- if $requests }}{{- $_ := set $resources "requests" $requests }}{{- end }}
{{- if $limits }}{{- $_ := set $resources "limits" $limits }}{{- end }}
{{- if $resources }}{{- $_ := set $settings "resources" $resources }}{{- end }}
{{- range $key := list "serviceAccountName" "nodeSelector" "tolerations" "affinity" "priorityClassName" "runtimeClassName" "imagePullSecrets" "env" "podLabels" "podAnnotations" "registryMirrors" "uvImage" "indexMirrors" }}
{{- with index $b $key }}{{- $_ := set $settings $key . }}{{- end }}
{{- end }}
{{- if $settings }}{{ toYaml $settings }}{{ else }}{}{{ end }}
{{- end }}
