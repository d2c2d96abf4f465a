#!/usr/bin/env bash
# make demo: start the local FunctionGraph emulator, `pulumi up` examples/yaml against it, show the outputs.
# Everything lives under .demo/ (emulator state, Pulumi state), so a second run shows no changes.
#   scripts/demo.sh            deploy (or update) and show outputs
#   scripts/demo.sh destroy    tear the demo stack down
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
demo="$root/.demo"
mkdir -p "$demo/state" "$demo/home"
eval "$("$root/scripts/toolchain.sh" --env)"
PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -vx "$root/bin" | paste -sd: -) # the plugin comes from the cache
export PULUMI_HOME="$demo/home" PULUMI_BACKEND_URL="file://$demo/state" PULUMI_CONFIG_PASSPHRASE=fgs-demo

# Install the freshly built plugin into the demo's plugin cache, as users install a release archive.
version=$("$root/bin/pulumi-resource-fgs" --version)
tar -czf "$demo/plugin.tar.gz" -C "$root/bin" pulumi-resource-fgs
pulumi plugin rm resource fgs "$version" --yes >/dev/null 2>&1 || true
pulumi plugin install resource fgs "$version" --file "$demo/plugin.tar.gz" >/dev/null

"$root/bin/fgs-emulator" --listen 127.0.0.1:0 --state "$demo/emulator.json" >"$demo/emulator.log" 2>&1 &
emulator=$!
trap 'kill $emulator 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q 'listening on http://' "$demo/emulator.log" 2>/dev/null && break
  kill -0 $emulator 2>/dev/null || { cat "$demo/emulator.log"; exit 1; }
  sleep 0.1
done
url=$(grep -o 'listening on http://[^ ]*' "$demo/emulator.log" | head -1 | sed 's/listening on //')
eval "$(grep '^export ' "$demo/emulator.log")"
echo "FunctionGraph emulator: $url (state in .demo/emulator.json, log in .demo/emulator.log)"

cd "$root/examples/yaml"
pulumi stack select --create demo >/dev/null
if [ "${1:-}" = "destroy" ]; then
  pulumi destroy --yes --skip-preview
  exit 0
fi
pulumi up --yes
echo
echo "Stack outputs:"
pulumi stack output
echo
echo "Invoking the deployed function (fgs-emulator invoke \$(pulumi stack output functionUrn)):"
"$root/bin/fgs-emulator" invoke "$(pulumi stack output functionUrn)" --payload '{"from":"make demo"}'
