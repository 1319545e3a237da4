#!/usr/bin/env bash
# Load `deepsy-mock serve` with wrk on loopback and print requests/s and
# latency for a few endpoints. Needs wrk (Debian: apt-get install wrk).
#
#   bash benchmarks/http_load.sh [duration-seconds]
#
# The server runs with its default threads; wrk uses 4 threads and 4
# keep-alive connections, the set-up docs/benchmarks.md records.
set -euo pipefail

duration=${1:-10}
port=$(python -c "from mockserver.process import free_port; print(free_port())")
base="http://127.0.0.1:$port"
acme=c193a06f-1c25-4e65-84a7-95faaae7ae7b
key="Authorization: Bearer deepsy-dev-your-api-key-here"

python -m mockserver serve --port "$port" --quiet &
server=$!
trap 'kill -INT $server; wait $server' EXIT
for _ in $(seq 100); do
  curl -fs "$base/_mock/health" >/dev/null && break
  sleep 0.1
done

run() {
  echo "== $1"
  wrk -t4 -c4 -d"${duration}s" --latency -H "$key" "$2" |
    grep -E "Requests/sec|50%|99%|Non-2xx"
}

run "GET /health" "$base/api/v1/health"
run "GET campaign list, 10 items (3.0 KB)" "$base/api/v1/campaign/$acme/list"
run "GET campaign details" "$base/api/v1/campaign/$acme/camp_123456789/get-details"
run "GET invitation list, 10 items" \
  "$base/api/v1/campaign/$acme/camp_111222333/invitations/list"
