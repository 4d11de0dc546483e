#!/usr/bin/env bash
# Renders the bundled samples' real cards (samples/buildimages.json: 5 jobs, WebP/JPEG variants, images.json)
# into a folder (default out/cards). Installs the native packages first when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/cards}"
bash build/install-native-deps.sh
dotnet run --project src/BuildImages.Tool -c Release -- build --config samples/buildimages.json --out "$out"
echo "cards and images.json are in $out"
