#!/bin/sh
# The service image's entry point, the container counterpart of `./thrustline run <service>` and
# `./thrustline topics`:
#   ingest | streams | reporting   run that service in the foreground (exec, so it gets the signals)
#   topics [ARGS...]               create or check the topics, then exit (non-zero when they are wrong)
#   export [ARGS...]               the research export, as `./thrustline export`
set -eu
role=${1:-help}
[ $# -gt 0 ] && shift
case "$role" in
  ingest)    main=io.thrustline.ingest.IngestService ;;
  streams)   main=io.thrustline.streams.StreamsProcessorService ;;
  reporting) main=io.thrustline.reporting.ReportingService ;;
  topics)    main=io.thrustline.ops.TopicsCommand ;;
  export)    main=io.thrustline.reporting.ExportCommand ;;
  help) echo "usage: thrustline-service ingest|streams|reporting|topics|export [ARGS...]"; exit 0 ;;
  *) echo "usage: thrustline-service ingest|streams|reporting|topics|export [ARGS...]" >&2; exit 2 ;;
esac
# JAVA_OPTS adds to the defaults or overrides them (a later -XX flag wins).
exec java -XX:MaxRAMPercentage=75 -Dlogback.configurationFile=/app/logback.xml \
  ${JAVA_OPTS:-} -cp '/app/lib/*' "$main" "$@"
