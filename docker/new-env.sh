#!/bin/sh
# Prints a .env for docker compose with fresh random credentials: docker/new-env.sh > .env
# Each secret is 40 characters from the kernel's random source (the services refuse fewer than 24).
# Keep the file out of version control (.gitignore has it) and give the values to the integrations and
# callers that need them. Edit the integration id (gym-1) to the one you onboard.
set -eu
secret() { LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 40; }
cat <<ENV
THRUSTLINE_INGEST_API_KEYS=gym-1=$(secret)
THRUSTLINE_REPORTING_TOKENS=$(secret)=admin,$(secret)=researcher
THRUSTLINE_EXPORT_SECRET=$(secret)
THRUSTLINE_METRICS_TOKEN=$(secret)
THRUSTLINE_DB_PASSWORD=$(secret)
ENV
