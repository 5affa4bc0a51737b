#!/usr/bin/env bash
# Puts promtool at $1 (the venv's bin folder: `make install` calls this when it is missing).
# promtool comes from Debian's `prometheus` package, unpacked, not installed: no server, no
# service, nothing outside $1. Without apt (not Debian) it only warns: pytests/test_alert_rules.py
# then skips, unless INSIGHTS_REQUIRE_PROMTOOL=1 (.ci/run) makes a missing promtool a failure.
set -euo pipefail
dest=$1

if found=$(command -v promtool) && [ "$found" != "$dest" ]; then
    ln -sf "$found" "$dest"
    exit 0
fi
if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
    echo "warning: promtool not installed (needs apt-get and dpkg-deb); the alert rule tests will skip" >&2
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
# the package lists may be empty on a fresh machine: refresh them once (as root) and retry
if ! apt-get download prometheus >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1 || true
    if ! apt-get download prometheus >/dev/null 2>&1; then
        echo "warning: could not download Debian's prometheus package; the alert rule tests will skip" >&2
        exit 0
    fi
fi
dpkg-deb -x prometheus_*.deb unpacked
install -m 0755 unpacked/usr/bin/promtool "$dest"
echo "installed $("$dest" --version 2>&1 | head -n 1) at $dest"
