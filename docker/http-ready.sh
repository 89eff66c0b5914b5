#!/bin/bash
# http-ready PORT [PATH]: exits 0 only when http://127.0.0.1:PORT/PATH answers 200. Plain bash (/dev/tcp),
# so a healthcheck needs no curl in the image. PATH defaults to /health/ready.
set -eu
port=$1 path=${2:-/health/ready}
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$path" >&3
IFS= read -r status <&3
case "$status" in
  "HTTP/1."?" 200 "*) exit 0 ;;
  *) exit 1 ;;
esac
