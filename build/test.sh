#!/usr/bin/env bash
# Runs every test: installs what only the tests need when missing, then builds and tests the solution.
set -euo pipefail
cd "$(dirname "$0")/.."
# nginx and redis-server: the remote cache and hook replica tests run a real WebDAV cache and Redis on loopback.
bash build/install-test-deps.sh chromium nginx redis-server
# Wine and mingw-w64: the Windows test publishes the tool for win-x64 and renders the sample under Wine (with the
# libraries Wine recommends: without them its DirectWrite and crypto may be missing pieces).
BUILDIMAGES_APT_RECOMMENDS=1 bash build/install-test-deps.sh wine64 gcc-mingw-w64-x86-64
# The web project tests read pages with a real Open Graph parser (open-graph-scraper, on the machine's Node.js).
if ! command -v node >/dev/null 2>&1; then
  bash build/install-test-deps.sh nodejs npm
fi
if [ ! -d tests/support/og/node_modules ]; then
  (cd tests/support/og && npm ci --no-audit --no-fund --loglevel=error)
fi
# The remote cache tests run real object stores on loopback: Azurite (Azure Blob Storage) and s3rver (S3).
if [ ! -x tests/support/blob-servers/node_modules/.bin/azurite-blob ] || [ ! -x tests/support/blob-servers/node_modules/.bin/s3rver ]; then
  (cd tests/support/blob-servers && npm ci --no-audit --no-fund --loglevel=error)
fi
dotnet test BuildImages.sln -c Release --nologo "$@"
