#!/usr/bin/env bash
# Runs every test: installs native dependencies when missing, then builds and tests the solution.
set -euo pipefail
cd "$(dirname "$0")/.."
bash build/install-native-deps.sh chromium
dotnet test BuildImages.sln -c Release --nologo "$@"
