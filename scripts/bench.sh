#!/usr/bin/env bash
# make bench: every performance figure of the provider in one run, printed as one table.
#   P0  the 1+1 program (a Function and its TIMER trigger): wall time and requests (FunctionGraph + IAM) per phase
#   P1  100 functions + 100 TIMER triggers with 50 ms per request, against the floor: the same program and
#       provider with an emulator that answers at once (what the engine and the machine cost on their own)
#   P2  IAM requests per command (from P0)
#   P3  the plugin: start to listening port, first and next GetSchema, binary size; the provider's share of an
#       empty program's `pulumi preview`
#   P4  packaging a generated 106 MB tree of 2,561 files: MB/s, MB per CPU-second, peak RSS growth
#   P5  local invocation: warm p50/p99 of a trivial Python handler, cold start (internal/emulator)
# Everything runs in a temp dir with its own Pulumi home and file backend. BENCH_SCALE=10 runs P1 with
# 10+10 (a quick look). The other benchmarks of `go test -bench` are not run here.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
eval "$("$root/scripts/toolchain.sh" --env)"
scale=${BENCH_SCALE:-100}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
table="$work/table"
: >"$table"
row() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$table"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f s", b-a}'; }

cd "$root"
echo "building the plugin and the emulator" >&2
make -s provider emulator >/dev/null
export PATH="$root/bin:$PATH" PULUMI_HOME="$work/home" PULUMI_BACKEND_URL="file://$work/state"
export PULUMI_CONFIG_PASSPHRASE=bench PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
mkdir -p "$work/state" "$work/home" "$work/wrap"
# Every plugin start goes through a wrapper that runs it under GNU time: its CPU seconds and peak RSS are
# added to $work/plugin.time. FGS_BENCH_PLUGIN runs another build of the plugin (e.g. an older one).
plugin=${FGS_BENCH_PLUGIN:-$root/bin/pulumi-resource-fgs}
printf '#!/bin/sh\nexec /usr/bin/time -a -o "%s" -f "%%U %%S %%M" "%s" "$@"\n' "$work/plugin.time" "$plugin" >"$work/wrap/pulumi-resource-fgs"
chmod +x "$work/wrap/pulumi-resource-fgs"
export PATH="$work/wrap:$PATH" FGS_PLUGIN_BIN="$plugin"

# emulator NAME LATENCY: starts an emulator and exports its OS_* variables into $work/NAME.env
emulator() {
  local log="$work/$1.log"
  local args=(--listen 127.0.0.1:0 --quiet --no-exec)
  [ -n "$2" ] && args+=(--latency "$2")
  bin/fgs-emulator "${args[@]}" >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do grep -q '^export ' "$log" 2>/dev/null && break; sleep 0.1; done
  # password auth, as most users have: one IAM token per command (with AK/SK there is none)
  grep '^export ' "$log" | grep -v -e OS_ACCESS_KEY -e OS_SECRET_KEY >"$work/$1.env"
  grep -o 'listening on http://[^ ]*' "$log" | head -1 | sed 's/listening on //' >"$work/$1.url"
}
# counts NAME: "fgs iam" requests since the last reset, then resets
counts() {
  local url
  url=$(cat "$work/$1.url")
  curl -s "$url/_emulator/requests" | python3 -c '
import json, sys
c = json.load(sys.stdin)
print(sum(n for k, n in c.items() if " /v2/" in k), sum(n for k, n in c.items() if " /v3" in k))'
  curl -s -X DELETE "$url/_emulator/requests" >/dev/null
}
# program DIR N: a YAML program of N functions, each with a TIMER trigger; its project is named after DIR
program() {
  mkdir -p "$1/app"
  printf 'def handler(event, context):\n    return {"ok": 1}\n' >"$1/app/index.py"
  {
    printf 'name: %s\nruntime: yaml\nconfig:\n  memorySize:\n    type: integer\n    default: 128\nresources:\n' "$(basename "$1")"
    for i in $(seq 1 "$2"); do
      printf '  fn%d:\n    type: fgs:index:Function\n    properties:\n      runtime: Python3.9\n      handler: index.handler\n' "$i"
      printf '      memorySize: ${memorySize}\n      code:\n        fn::fileArchive: ./app\n'
      printf '  timer%d:\n    type: fgs:index:Trigger\n    properties:\n      functionUrn: ${fn%d.functionUrn}\n' "$i" "$i"
      printf '      type: TIMER\n      timer:\n        name: t%d\n        scheduleType: Rate\n        schedule: 5m\n' "$i"
    done
  } >"$1/Pulumi.yaml"
}
# phase NAME LABEL CMD...: runs a pulumi command in the current directory, records wall time and requests
phase() {
  local em=$1 label=$2
  shift 2
  local t0 t1
  counts "$em" >/dev/null
  t0=$(now)
  "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log" >&2; exit 1; }
  t1=$(now)
  read -r f i < <(counts "$em")
  printf '%s\t%s\t%s\n' "$label" "$(secs "$t0" "$t1")" "$f FGS + $i IAM"
}
stack() { (set -a; . "$work/$1.env"; set +a; cd "$2" && pulumi stack select --create bench >/dev/null 2>&1 && shift 2 && phase "$@"); }

# P0 and P2: the 1+1 program.
echo "P0: the 1+1 program" >&2
emulator zero ""
program "$work/p0" 1
while IFS=$'\t' read -r label wall reqs; do
  row P0 "$label" "$wall, $reqs"
  row P2 "$label" "${reqs##*+ }"
done < <(
  stack zero "$work/p0" zero "preview (new stack)" pulumi preview
  stack zero "$work/p0" zero "up (create)" pulumi up --yes --skip-preview
  stack zero "$work/p0" zero "preview (no change)" pulumi preview
  stack zero "$work/p0" zero "up (memory change)" pulumi up --yes --skip-preview --config memorySize=256
  stack zero "$work/p0" zero "refresh" pulumi refresh --yes --skip-preview
  stack zero "$work/p0" zero "destroy" pulumi destroy --yes --skip-preview
)

# P1: N+N at 50 ms, and the floor; three interleaved rounds, medians (the machine is shared).
echo "P1: $scale+$scale at 50 ms and the floor" >&2
emulator slow 50ms
program "$work/p1slow" "$scale"
program "$work/p1zero" "$scale"
: >"$work/plugin.time"
for _ in 1 2 3; do
  stack slow "$work/p1slow" slow "up, 50 ms" pulumi up --yes --skip-preview
  stack zero "$work/p1zero" zero "up, floor (0 ms)" pulumi up --yes --skip-preview
  stack slow "$work/p1slow" slow "destroy, 50 ms" pulumi destroy --yes --skip-preview
  stack zero "$work/p1zero" zero "destroy, floor (0 ms)" pulumi destroy --yes --skip-preview
done >"$work/p1.txt"
p1cpu=$(awk '{cpu+=$1+$2} END{printf "%.2f s", cpu/12}' "$work/plugin.time")
(
  export PULUMI_SKIP_CHECKPOINTS=true
  stack slow "$work/p1slow" slow "up, 50 ms, PULUMI_SKIP_CHECKPOINTS=true" pulumi up --yes --skip-preview
  stack slow "$work/p1slow" slow "destroy, 50 ms, PULUMI_SKIP_CHECKPOINTS=true" pulumi destroy --yes --skip-preview
) >>"$work/p1.txt"
# medians FILE: one line per label: label, median wall (s), the requests of its last run
medians() {
  awk -F'\t' '{n[$1]++; w[$1, n[$1]] = $2 + 0; r[$1] = $3; if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
    END { for (i = 1; i <= k; i++) { l = order[i]; m = n[l]; for (a = 1; a <= m; a++) v[a] = w[l, a]
      for (a = 1; a <= m; a++) for (c = a + 1; c <= m; c++) if (v[c] < v[a]) { t = v[a]; v[a] = v[c]; v[c] = t }
      printf "%s\t%.2f\t%s\n", l, v[int((m + 1) / 2)], r[l] } }' "$1"
}
declare -A p1
while IFS=$'\t' read -r label wall reqs; do p1[$label]=$wall; row P1 "$label" "$wall s, $reqs"; done < <(medians "$work/p1.txt")
row P1 "provider CPU per command (mean of the 12 above)" "$p1cpu"
for op in up destroy; do
  row P1 "$op: 50 ms / floor" "$(awk -v a="${p1[$op, 50 ms]}" -v b="${p1[$op, floor (0 ms)]}" 'BEGIN{printf "%.2fx", a/b}')"
done

# P3: the plugin's fixed costs.
echo "P3: plugin start" >&2
go test -run '^$' -bench PluginStart -benchtime 20x ./cmd/pulumi-resource-fgs/ >"$work/p3start.txt"
metric() { awk -v m="$2" '/^Benchmark/{for(i=1;i<=NF;i++) if($i==m) print $(i-1)}' "$1" | head -1; }
row P3 "start to listening port (median of 20)" "$(metric "$work/p3start.txt" ms-to-port) ms"
row P3 "first GetSchema (builds the schema)" "$(metric "$work/p3start.txt" ms-first-schema) ms"
row P3 "next GetSchema" "$(metric "$work/p3start.txt" ms-next-schema) ms"
row P3 "binary size (bin/, -s -w)" "$(metric "$work/p3start.txt" MB-binary) MB"
mkdir -p "$work/empty" "$work/provonly"
printf 'name: empty\nruntime: yaml\n' >"$work/empty/Pulumi.yaml"
printf 'name: provonly\nruntime: yaml\nresources:\n  fgs:\n    type: pulumi:providers:fgs\n' >"$work/provonly/Pulumi.yaml"
for _ in 1 2 3 4 5 6 7; do
  stack zero "$work/empty" zero "empty" pulumi preview
  stack zero "$work/provonly" zero "provider" pulumi preview
done >"$work/p3.txt"
e=$(medians "$work/p3.txt" | awk -F'\t' '$1 == "empty" {print $2}')
w=$(medians "$work/p3.txt" | awk -F'\t' '$1 == "provider" {print $2}')
row P3 "pulumi preview, empty program (median of 7)" "$e s"
row P3 "... declaring the fgs provider: its share" "$w s: $(awk -v a="$w" -v b="$e" 'BEGIN{printf "%.0f ms", (a-b)*1000}')"

# P4: packaging.
echo "P4: packaging a 106 MB tree" >&2
go test -run '^$' -bench PackageLargeTree -benchtime 2x ./provider/ >"$work/p4.txt"
row P4 "106 MB, 2,561 files: wall" "$(metric "$work/p4.txt" MB/s) MB/s"
row P4 "... per CPU-second" "$(metric "$work/p4.txt" MB/cpu-s) MB"
row P4 "... peak RSS growth" "$(metric "$work/p4.txt" MB-peak-RSS-growth) MB"
row P4 "... package size" "$(metric "$work/p4.txt" %zipped) % of the tree"

# P4 through the CLI: a program whose one function has the 106 MB tree as code.
echo "P4: a 106 MB program through pulumi" >&2
mkdir -p "$work/p4big"
python3 - "$work/p4big/app" <<'PY'
import os, random, sys
rng = random.Random(17)
words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 10))) for _ in range(512)]
pool = b" ".join(rng.choice(words) + (b"\n    " if rng.random() < 0.125 else b"") for _ in range(1_500_000))
files, total = 2561, 106 << 20
avg, written = total // files, 0
for i in range(files):
    size = avg // 4 + rng.randint(0, avg * 3 // 2)
    data = rng.randbytes(size) if i % 10 == 9 else pool[(o := rng.randint(0, len(pool) - size)):o + size]
    p = os.path.join(sys.argv[1], "site-packages/pkg%03d/sub%d/mod%04d.py" % (i % 97, i % 7, i))
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data)
with open(os.path.join(sys.argv[1], "index.py"), "w") as f:
    f.write("def handler(event, context):\n    return 1\n")
PY
printf 'name: p4big\nruntime: yaml\nresources:\n  big:\n    type: fgs:index:Function\n    properties:\n      runtime: Python3.9\n      handler: index.handler\n      memorySize: 256\n      code:\n        fn::fileArchive: ./app\n' >"$work/p4big/Pulumi.yaml"
plugin_cost() { awk '{cpu+=$1+$2; if($3>rss) rss=$3} END{printf "%.2f s of provider CPU, provider peak RSS %.0f MB", cpu, rss/1024}' "$work/plugin.time"; : >"$work/plugin.time"; }
big() { stack zero "$work/p4big" zero "$@"; }
: >"$work/plugin.time"
row P4 "pulumi up, 106 MB program" "$(big x pulumi up --yes --skip-preview | cut -f2), $(plugin_cost)"
row P4 "pulumi preview, no change" "$(big x pulumi preview | cut -f2), $(plugin_cost)"
big x pulumi destroy --yes --skip-preview >/dev/null
: >"$work/plugin.time"

# P5: local invocation.
echo "P5: local invocation" >&2
go test -run '^$' -bench 'InvokeWarmPython' -benchtime 500x ./internal/emulator/ >"$work/p5w.txt"
go test -run '^$' -bench 'InvokeColdPython' -benchtime 20x ./internal/emulator/ >"$work/p5c.txt"
row P5 "warm, trivial Python handler (500 calls)" "p50 $(metric "$work/p5w.txt" p50-ms) ms, p99 $(metric "$work/p5w.txt" p99-ms) ms"
row P5 "cold start (20 functions)" "p50 $(metric "$work/p5c.txt" p50-ms) ms, p99 $(metric "$work/p5c.txt" p99-ms) ms"

# P6: FunctionGraph requests per resource operation, through the provider server against the emulator.
echo "P6: requests per operation" >&2
go test -run '^$' -bench 'ResourceOperations|FunctionOperations' -benchtime 1x ./provider/ >"$work/p6.txt"
awk '/^Benchmark(Resource|Function)Operations\//{n=$1; fn=(n ~ /^BenchmarkFunction/) ? "Function/" : ""; sub(/^Benchmark(Resource|Function)Operations\//, "", n); sub(/-[0-9]+$/, "", n); n=fn n;
  for (i = 1; i <= NF; i++) if ($i == "requests/op") printf "P6\t%s\t%s requests\n", n, $(i-1)}' "$work/p6.txt" >>"$table"

# P7: fgs-adopt listing a large project.
echo "P7: fgs-adopt, 400 functions" >&2
go test -run '^$' -bench 'Adopt400Functions' -benchtime 1x ./cmd/fgs-adopt/ >"$work/p7.txt"
row P7 "fgs-adopt: 400 functions + 800 triggers at 50 ms" "$(metric "$work/p7.txt" s/list) s, $(metric "$work/p7.txt" requests/list) requests (8 in flight)"

echo
echo "pulumi-fgs bench, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)), load $(cut -d' ' -f1-3 /proc/loadavg), $(go version | cut -d' ' -f3), pulumi $(pulumi version)"
awk -F'\t' 'BEGIN{printf "%-4s %-48s %s\n", "", "figure", "value"} {printf "%-4s %-48s %s\n", $1, $2, $3}' "$table"
