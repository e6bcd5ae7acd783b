#!/bin/sh
# Anonymise the staging area, then archive it with borg.
#   STAGING=/srv/backup-staging BORG_REPO=... borg-pre-backup.sh
set -eu
STAGING=${STAGING:-/srv/backup-staging}
ANONLOG=${ANONLOG:-/usr/local/bin/anonlog}
"$ANONLOG" --in-place --recursive "$STAGING"
ARCHIVE="staging-$(date -u +%Y-%m-%dT%H%M%S)"
borg create --stats "::$ARCHIVE" "$STAGING"
# Keep an anonymised file listing of the archive next to it.
borg list --json-lines "::$ARCHIVE" | "$ANONLOG" > "$STAGING.manifest.jsonl"
