#!/usr/bin/env bash
# Put the Developer ID Application certificate into a throw-away keychain (CI only).
#
# Needs MACOS_CERTIFICATE_P12_BASE64 (the .p12 export, base64) and MACOS_CERTIFICATE_PASSWORD.
# The release workflow runs this only when those secrets exist, and deletes the keychain after.
set -euo pipefail

: "${MACOS_CERTIFICATE_P12_BASE64:?not set}"
: "${MACOS_CERTIFICATE_PASSWORD:?not set}"
tmp="${RUNNER_TEMP:-$(mktemp -d)}"
keychain="$tmp/stepwise-signing.keychain-db"
cert="$tmp/stepwise-signing.p12"
password="$(uuidgen)"

printf '%s' "$MACOS_CERTIFICATE_P12_BASE64" | base64 --decode > "$cert"
security create-keychain -p "$password" "$keychain"
security set-keychain-settings -lut 21600 "$keychain"
security unlock-keychain -p "$password" "$keychain"
security import "$cert" -k "$keychain" -f pkcs12 -P "$MACOS_CERTIFICATE_PASSWORD" -T /usr/bin/codesign
# Let codesign use the key without a prompt (there is nobody to click "Allow" on a runner).
security set-key-partition-list -S apple-tool:,apple: -s -k "$password" "$keychain" >/dev/null
# Search our keychain first, keeping the user's others.
existing=()
while IFS= read -r line; do
  line="${line#"${line%%[![:space:]]*}"}"
  existing+=("${line//\"/}")
done < <(security list-keychains -d user)
security list-keychains -d user -s "$keychain" "${existing[@]}"
rm -f "$cert"
security find-identity -v -p codesigning "$keychain"
