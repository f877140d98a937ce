#!/usr/bin/env bash
# Scaffolds a workspace package: scripts/new-package.sh libs|apps NAME [DEP ...]
# DEPs are other workspace package folders (e.g. libs/kernel) this one imports.
set -euo pipefail
kind=$1; name=$2; shift 2
dir="$kind/$name"
mkdir -p "$dir/src"
[ -f "$dir/package.json" ] || cat > "$dir/package.json" <<JSON
{
  "name": "@hub/$name",
  "version": "0.0.0",
  "private": true,
  "main": "dist/index.js",
  "types": "dist/index.d.ts"
}
JSON
refs=""
for dep in "$@"; do refs="$refs{ \"path\": \"../../$dep\" },"; done
refs="[${refs%,}]"
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "rootDir": "src", "outDir": "dist", "tsBuildInfoFile": "dist/.tsbuildinfo" },
  "include": ["src/**/*.ts", "src/**/*.json"],
  "exclude": ["src/**/*.spec.ts"],
  "references": $refs
}
JSON
[ -f "$dir/src/index.ts" ] || echo "export {};" > "$dir/src/index.ts"
echo "created $dir"
