#!/usr/bin/env bash
# What the BuildImages target adds to `dotnet publish` of samples/site: MSBuild's own per-target timing
# (-clp:PerformanceSummary) for a no-op publish (target skipped), a publish where the task runs and renders
# nothing (a file touched, no card changed), and a publish where one post changed. Prints medians of N runs.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
extra="${2:-}"   # e.g. -p:BuildImagesTaskHost=true
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
version="0.3.0-bench$(date +%s)"
dotnet build src/BuildImages.Tasks -c Release --nologo -v:q >/dev/null
dotnet pack src/BuildImages.Tasks -c Release --no-build -o "$work/packages" -p:PackageVersion="$version" --nologo -v:q >/dev/null
mkdir -p "$work/site"
(cd samples/site && tar --exclude=bin --exclude=obj --exclude=wwwroot --exclude=pub -cf - .) | (cd "$work/site" && tar -xf -)
echo "<configuration><packageSources><add key=\"local\" value=\"$work/packages\" /></packageSources></configuration>" > "$work/site/nuget.config"
publish() { dotnet publish "$work/site" -c Release -o "$work/site/pub" --nologo -v:n -p:BuildImagesVersion="$version" -clp:PerformanceSummary -nodeReuse:false $extra 2>&1; }
# ms spent in the render target (and the targets around it that the package adds), from the summary
target_ms() { awk '/Target Performance Summary/{on=1} on && /BuildImagesRender|_BuildImagesCollect|_BuildImagesPublish|_BuildImagesPaths/{s+=$1} END{printf "%.0f", s}'; }
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
publish >/dev/null   # first publish: renders every card
for kind in skipped ran-nothing one-post; do
  for i in $(seq "$runs"); do
    case $kind in
      ran-nothing) touch "$work/site/content/ship-it.md" ;;
      one-post) printf -- '---\ntitle: Ship it, take %s\nsite: Acme Engineering Blog\n---\n' "$i" > "$work/site/content/ship-it.md" ;;
    esac
    publish > "$work/last.log"
    target_ms < "$work/last.log"; echo
    # What the task itself said, once per kind, so the figure is known to be what it claims.
    if [ "$i" = 1 ]; then
      { grep -o "BuildImages: rendered [0-9]*, skipped [0-9]*" "$work/last.log" || echo "(render target skipped)"; } | sed "s/^/  $kind: /" >&2
    fi
  done | median | sed "s/^/$kind: BuildImages targets median ms = /"
done
