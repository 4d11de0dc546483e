#!/usr/bin/env bash
# What BuildImages adds to `dotnet build` of a web project (dotnet new web, 16 posts, webp + jpeg cards as static web
# assets), from MSBuild's own per-target timing (-clp:PerformanceSummary): a build with nothing changed (the render
# target is skipped), and a build after one post changed (what dotnet watch runs when a post is saved: the post is a
# Watch item, the rebuild renders its 2 cards). Prints the median of N runs of each, and the whole build's median.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
work="${BENCH_WORK:-$(mktemp -d)}"   # BENCH_WORK=DIR keeps the project to look at afterwards
cleanup() { dotnet build-server shutdown >/dev/null 2>&1 || true; [ -n "${BENCH_WORK:-}" ] || rm -rf "$work"; }
trap cleanup EXIT
version="0.3.0-bench$(date +%s)"
dotnet build src/BuildImages.Tasks -c Release --nologo -v:q >/dev/null
dotnet pack src/BuildImages.Tasks -c Release --no-build -o "$work/packages" -p:PackageVersion="$version" --nologo -v:q >/dev/null
dotnet new web -o "$work/app" --no-restore >/dev/null
echo "<configuration><packageSources><add key=\"local\" value=\"$work/packages\" /></packageSources></configuration>" > "$work/app/nuget.config"
sed -i "s|</Project>|<ItemGroup><PackageReference Include=\"BuildImages\" Version=\"$version\" /></ItemGroup></Project>|" "$work/app/app.csproj"
mkdir -p "$work/app/content"
for i in $(seq 16); do printf -- '---\ntitle: Post number %s\n---\nBody.\n' "$i" > "$work/app/content/post-$i.md"; done
cat > "$work/app/buildimages.json" <<'JSON'
{ "outputDir": "wwwroot", "jobs": [ { "name": "posts", "template": "blog-post", "data": "content/*.md", "output": "og/{{ slug }}",
  "variants": [ { "format": "webp" }, { "format": "jpeg" } ] } ] }
JSON
build() { dotnet build "$work/app" --nologo -v:n -clp:PerformanceSummary 2>&1; }   # node reuse on, as dotnet build and dotnet watch run by default
# ms in the targets the package adds, and the whole build's ms, from the summary
target_ms() { awk '/Target Performance Summary/{on=1} on && /BuildImagesRender|_BuildImages/{s+=$1} END{printf "%.0f", s}'; }
total_ms() { grep -oE "Time Elapsed [0-9:.]+" | awk -F'[ :]' '{printf "%.0f", ($3*3600+$4*60+$5)*1000}'; }
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
build > "$work/first.log" || { cat "$work/first.log"; exit 1; }
grep -o "BuildImages: .*" "$work/first.log" | head -1 | sed 's/^/  first build: /' >&2
for kind in nothing-changed one-post-changed; do
  : > "$work/totals"
  for i in $(seq "$runs"); do
    if [ "$kind" = one-post-changed ]; then printf -- '---\ntitle: Post number 3, take %s\n---\nBody.\n' "$i" > "$work/app/content/post-3.md"; fi
    build > "$work/last.log"
    total_ms < "$work/last.log" >> "$work/totals"; echo >> "$work/totals"
    target_ms < "$work/last.log"; echo
    if [ "$i" = 1 ]; then
      { grep -o "BuildImages: .*" "$work/last.log" | head -1 || echo "(render target skipped)"; } | sed "s/^/  $kind: /" >&2
    fi
  done | median | sed "s/^/$kind: BuildImages targets median ms = /"
  grep . "$work/totals" | median | sed "s/^/$kind: whole dotnet build median ms = /"
done
