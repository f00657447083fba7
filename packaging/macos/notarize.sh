#!/usr/bin/env bash
# Notarize a signed DMG with Apple and staple the ticket to it (macOS only).
#
#   packaging/macos/notarize.sh <Stepwise.dmg>
#
# Needs APPLE_ID, APPLE_TEAM_ID and APPLE_APP_PASSWORD (an app-specific password of that Apple
# ID). The release workflow runs this only when those secrets exist. Notarizing the DMG covers
# the app inside it; the ticket is stapled to the DMG so Gatekeeper can check it offline.
set -euo pipefail

dmg="${1:?usage: notarize.sh <Stepwise.dmg>}"
: "${APPLE_ID:?not set}"
: "${APPLE_TEAM_ID:?not set}"
: "${APPLE_APP_PASSWORD:?not set}"

credentials=(--apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" --password "$APPLE_APP_PASSWORD")
result="$(xcrun notarytool submit "$dmg" "${credentials[@]}" --wait --timeout 30m \
  --output-format json)"
echo "$result"
field() { python3 -c 'import json, sys; print(json.loads(sys.argv[1]).get(sys.argv[2], ""))' \
  "$result" "$1"; }
if [ "$(field status)" != "Accepted" ]; then
  # Apple's log names each file it rejected and why.
  xcrun notarytool log "$(field id)" "${credentials[@]}" || true
  exit 1
fi
xcrun stapler staple "$dmg"
xcrun stapler validate "$dmg"
# Gatekeeper's own verdict on the DMG, as a downloaded file would get it.
spctl --assess --type open --context context:primary-signature --verbose=2 "$dmg"
