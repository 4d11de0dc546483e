#!/usr/bin/env bash
# Renders the bundled sample's cards (every built-in template, every size) into a folder (default: out/cards).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/cards}"
bash build/install-native-deps.sh
dotnet build src/BuildImages.Tool -c Release --nologo -v q >/dev/null
for dir in samples/*/; do
  name=$(basename "$dir")
  [ -f "templates/$name/card.hbs" ] || continue
  for data in "$dir"*.json; do
    dotnet run --no-build -c Release --project src/BuildImages.Tool -- render --template "$name" --data "$data" --out "$out/$name" --format png
  done
done
echo "Cards written to $out"
