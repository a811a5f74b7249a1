{{/* Name of the app: container name, `app` label (the guide's `-l app=compliance-service`). */}}
{{- define "cs.name" -}}
compliance-service
{{- end }}

{{/* Object names: the release name when it already says compliance-service (the guide's release). */}}
{{- define "cs.fullname" -}}
{{- if contains "compliance-service" .Release.Name -}}
{{- .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-compliance-service" .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- end -}}
{{- end }}

{{- define "cs.selectorLabels" -}}
app: {{ include "cs.name" . }}
app.kubernetes.io/name: {{ include "cs.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "cs.labels" -}}
{{ include "cs.selectorLabels" . }}
app.kubernetes.io/part-of: tickettoken
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
tickettoken.io/environment: {{ .Values.environment }}
{{- end }}

{{/* The image tag: image.tag or the chart's appVersion; "latest" never renders. */}}
{{- define "cs.imageTag" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion | toString -}}
{{- if eq $tag "latest" -}}
{{- fail "image.tag: use a version, never latest" -}}
{{- end -}}
{{- $tag -}}
{{- end }}

{{/*
The Deployments this release runs, as YAML ({workloads: [...]}); every workload-shaped object
(Deployment, HPA, PDB) ranges over it, so canary and blue-green never need copies of a template.
*/}}
{{- define "cs.workloads" -}}
{{- $fullname := include "cs.fullname" . -}}
{{- $tag := include "cs.imageTag" . -}}
{{- if and .Values.canary.enabled .Values.activeColor -}}
{{- fail "canary.enabled and activeColor: use canary or blue-green for a release, not both" -}}
{{- end -}}
workloads:
{{- if .Values.activeColor }}
{{- range $color := list "blue" "green" }}
{{- $settings := index $.Values.blueGreen $color }}
{{- $active := eq $.Values.activeColor $color }}
{{- if and $active $settings.scaledDown }}
{{- fail (printf "blueGreen.%s.scaledDown: %s is the active colour" $color $color) }}
{{- end }}
{{- $colorTag := $settings.tag | default $tag | toString }}
{{- if eq $colorTag "latest" }}{{ fail (printf "blueGreen.%s.tag: use a version, never latest" $color) }}{{ end }}
- name: {{ printf "%s-%s" $fullname $color }}
  track: stable
  color: {{ $color }}
  tag: {{ $colorTag | quote }}
  autoscaled: {{ and $.Values.autoscaling.enabled (not $settings.scaledDown) }}
  replicas: {{ ternary 0 $.Values.replicaCount $settings.scaledDown }}
  disruptionBudget: {{ not $settings.scaledDown }}
{{- end }}
{{- else }}
- name: {{ $fullname }}
  track: stable
  tag: {{ $tag | quote }}
  autoscaled: {{ .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  disruptionBudget: true
{{- end }}
{{- if .Values.canary.enabled }}
{{- $canaryTag := .Values.canary.image.tag | default $tag | toString }}
{{- if eq $canaryTag "latest" }}{{ fail "canary.image.tag: use a version, never latest" }}{{ end }}
{{- if not .Values.ingress.enabled }}
{{- fail "canary.enabled needs ingress.enabled: the canary weight is applied by the NGINX ingress" }}
{{- end }}
- name: {{ printf "%s-canary" $fullname }}
  track: canary
  tag: {{ $canaryTag | quote }}
  autoscaled: false
  replicas: {{ .Values.canary.replicas }}
  # One or two canary pods: a budget would block node drains.
  disruptionBudget: false
{{- end }}
{{- end }}

{{/* Pod selector of one workload (given as dict "root" $ "workload" $w). */}}
{{- define "cs.workloadSelector" -}}
{{ include "cs.selectorLabels" .root }}
track: {{ .workload.track }}
{{- if .workload.color }}
color: {{ .workload.color }}
{{- end }}
{{- end }}

{{/* Service selector: stable pods; in blue-green mode only the given colour. */}}
{{- define "cs.serviceSelector" -}}
{{ include "cs.selectorLabels" .root }}
track: stable
{{- if .color }}
color: {{ .color }}
{{- end }}
{{- end }}

{{/*
The public paths the Ingress routes (pathType Prefix matches whole path segments: /api/ takes
/api/v1/venues, not /apiary). Everything else (/admin/*, /metrics, /health/*) stays inside the
cluster: the admin API, scrapes and readiness details are not for the internet.
*/}}
{{- define "cs.publicPaths" -}}
{{- $paths := list "/api/" "/webhooks/" -}}
{{- if .Values.ingress.docs.enabled }}{{ $paths = append $paths "/docs" }}{{ end -}}
{{- if .Values.ingress.console.enabled }}{{ $paths = append $paths "/console" }}{{ end -}}
{{- join " " $paths -}}
{{- end }}

{{/* Ingress spec shared by the stable and the canary Ingress (dict "root" $ "service" name): NGINX requires the canary's host and paths to equal the main Ingress's. */}}
{{- define "cs.ingressSpec" -}}
{{- $ingress := .root.Values.ingress -}}
ingressClassName: {{ $ingress.className }}
{{- if $ingress.tlsSecretName }}
tls:
  - hosts: [{{ $ingress.host | quote }}]
    secretName: {{ $ingress.tlsSecretName }}
{{- end }}
rules:
  - host: {{ $ingress.host | quote }}
    http:
      paths:
        {{- range $path := splitList " " (include "cs.publicPaths" .root) }}
        - path: {{ $path }}
          pathType: Prefix
          backend:
            service:
              name: {{ $.service }}
              port:
                name: http
        {{- end }}
{{- end }}

{{- define "cs.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "cs.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end }}

{{- define "cs.secretName" -}}
{{ include "cs.fullname" . }}-secrets
{{- end }}

{{/*
The secrets the app reads (src/config/secret-sources.ts), each mounted as a file. ADMIN_API_TOKEN:
without it the admin API answers 403 to everyone. ENCRYPTION_KEY: the AES-256 key of tax ids at rest.
extraKeys adds optional ones (SENTRY_DSN, rotation keys) only when asked, because External Secrets
fails the whole sync when the AWS secret lacks a mapped property.
*/}}
{{- define "cs.secretKeys" -}}
{{- concat (list "DATABASE_URL" "REDIS_URL" "JWT_SECRET" "WEBHOOK_SECRET" "STRIPE_WEBHOOK_SECRET" "ADMIN_API_TOKEN" "ENCRYPTION_KEY") .Values.externalSecret.extraKeys | join " " -}}
{{- end }}

{{/* Where the database CA bundle is mounted (databaseCA), the directory and the file DATABASE_SSL_CA_FILE names. */}}
{{- define "cs.databaseCADir" -}}
/etc/compliance-service/database-ca
{{- end }}

{{/* Restrictions shared by the app and the init container. */}}
{{- define "cs.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end }}

{{/* Environment shared by the app and the init container: ConfigMap plus secret file paths. */}}
{{- define "cs.env" -}}
envFrom:
  - configMapRef:
      name: {{ include "cs.fullname" .root }}
env:
  - name: APP_VERSION
    value: {{ .workload.tag | quote }}
{{- range $key := splitList " " (include "cs.secretKeys" .root) }}
  - name: {{ $key }}_FILE
    value: /var/run/secrets/compliance-service/{{ $key }}
{{- end }}
{{- if include "cs.databaseCASource" .root }}
  - name: DATABASE_SSL_CA_FILE
    value: {{ include "cs.databaseCADir" .root }}/{{ .root.Values.databaseCA.key }}
{{- end }}
volumeMounts:
  - name: tmp
    mountPath: /tmp
  - name: secrets
    mountPath: /var/run/secrets/compliance-service
    readOnly: true
{{- if include "cs.databaseCASource" .root }}
  - name: database-ca
    mountPath: {{ include "cs.databaseCADir" .root }}
    readOnly: true
{{- end }}
{{- end }}

{{/* The volume source of the database CA bundle ("" when none is configured). */}}
{{- define "cs.databaseCASource" -}}
{{- $ca := .Values.databaseCA -}}
{{- if and $ca.configMap $ca.secret -}}
{{- fail "databaseCA: set configMap or secret, not both" -}}
{{- end -}}
{{- if $ca.configMap -}}
configMap:
  name: {{ $ca.configMap }}
  items:
    - key: {{ $ca.key }}
      path: {{ $ca.key }}
{{- else if $ca.secret -}}
secret:
  secretName: {{ $ca.secret }}
  items:
    - key: {{ $ca.key }}
      path: {{ $ca.key }}
{{- end -}}
{{- end }}
