#!/usr/bin/env bash
# Renders the bundled samples' real cards (samples/buildimages.json: 5 jobs, WebP/JPEG variants, images.json)
# into a folder (default out/cards). Needs only the .NET SDK: libvips, Skia and HarfBuzz come in the NuGet packages,
# Inter and Noto Color Emoji ship with BuildImages, and the sample's other scripts use the fonts in samples/fonts.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/cards}"
dotnet run --project src/BuildImages.Tool -c Release -- build --config samples/buildimages.json --out "$out"
echo "cards and images.json are in $out"
