#!/bin/sh
# Anonymise the staging area, then back it up with restic: nothing personal leaves the host.
#   STAGING=/srv/backup-staging RESTIC_REPOSITORY=... restic-pre-backup.sh
set -eu
STAGING=${STAGING:-/srv/backup-staging}
ANONLOG=${ANONLOG:-/usr/local/bin/anonlog}
"$ANONLOG" --in-place --recursive "$STAGING"
# The manifest of what is backed up is anonymised like any other text.
restic backup --json "$STAGING" | "$ANONLOG" > "$STAGING.backup-log.jsonl"
