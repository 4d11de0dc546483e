#!/usr/bin/env bash
# Refactors must not change a pixel: builds the tool at BASE (a commit, default HEAD~1) and as the working tree is,
# renders the bundled sample (samples/buildimages.json) and a batch-bench site (N blog-post items, default 200) with
# each, and compares every output, images.json and the manifest byte for byte. Prints the counts; exit 1 on a difference.
set -euo pipefail
cd "$(dirname "$0")/.."
base="${1:-HEAD~1}"
items="${2:-200}"
work="$(mktemp -d)"
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add -q --detach "$work/base" "$base"
for side in base head; do
  src=$([ "$side" = base ] && echo "$work/base" || pwd)
  dotnet build "$src/src/BuildImages.Tool" -c Release --nologo -v:q -o "$work/$side-tool" >/dev/null
done
dotnet build tests/BuildImages.Benchmarks -c Release --nologo -v:q >/dev/null
dotnet tests/BuildImages.Benchmarks/bin/Release/net10.0/BuildImages.Benchmarks.dll --batch cold "$items" "$work/site" >/dev/null
status=0
for site in sample batch; do
  for side in base head; do
    if [ "$site" = sample ]; then config=samples/buildimages.json; else config="$work/site/buildimages.json"; fi
    dotnet "$work/$side-tool/dotnet-build-images.dll" build --config "$config" --out "$work/$site-$side" --quiet >/dev/null
  done
  files=$(cd "$work/$site-base" && find . -type f ! -name '*.cache.json' ! -name '*.uptodate' | sort)
  differ=0
  for f in $files; do cmp -s "$work/$site-base/$f" "$work/$site-head/$f" || { echo "differs: $site $f"; differ=$((differ+1)); }; done
  [ "$(cd "$work/$site-head" && find . -type f ! -name '*.cache.json' ! -name '*.uptodate' | sort)" = "$files" ] || { echo "$site: the file lists differ"; differ=$((differ+1)); }
  echo "$site: $(echo "$files" | wc -l) files compared, $differ differ"
  [ "$differ" = 0 ] || status=1
done
exit $status
