#!/usr/bin/env bash
# Pack Stepwise.app into a compressed, drag-to-Applications DMG (macOS only).
#
#   packaging/macos/make_dmg.sh <Stepwise.app> <out.dmg> [volume name]
#
# packaging/build.py --installer calls this. When STEPWISE_CODESIGN_IDENTITY is set the DMG is
# signed too (the app inside was signed by PyInstaller with the same identity); notarization is
# a separate step (notarize.sh) that needs Apple credentials.
set -euo pipefail

app="${1:?usage: make_dmg.sh <Stepwise.app> <out.dmg> [volume name]}"
dmg="${2:?usage: make_dmg.sh <Stepwise.app> <out.dmg> [volume name]}"
volume="${3:-Stepwise}"

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
# ditto keeps the bundle's symlinks, permissions and code signatures intact.
ditto "$app" "$staging/$(basename "$app")"
ln -s /Applications "$staging/Applications"

rm -f "$dmg"
hdiutil create -volname "$volume" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"

if [ -n "${STEPWISE_CODESIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$STEPWISE_CODESIGN_IDENTITY" "$dmg"
  codesign --verify --verbose=2 "$dmg"
fi
hdiutil verify "$dmg"
