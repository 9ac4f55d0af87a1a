#!/bin/sh
# Entrypoint of the chat image. The server reads its configuration from environment variables only;
# secrets arrive as files (Docker / compose secrets under /run/secrets). This turns them into the
# variables, then replaces itself with the command, so the server gets signals (SIGTERM) directly.
#
#   NAME_FILE=/path              -> NAME=<contents>  for JWT_ACCESS_SECRET, JWT_REFRESH_SECRET,
#                                   VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, DATABASE_URL and REDIS_URL
#   DATABASE_PASSWORD_FILE=/path -> DATABASE_URL=postgres://DATABASE_USER:<password>@DATABASE_HOST:DATABASE_PORT/DATABASE_NAME
#                                   (when DATABASE_URL is not set; defaults chat, postgres, 5432, chat)
#   REDIS_PASSWORD_FILE=/path    -> REDIS_URL=redis://:<password>@REDIS_HOST:REDIS_PORT
#                                   (when REDIS_URL is not set; defaults redis, 6379)
#
# A trailing newline in a secret file is dropped. Passwords that go into a URL must be URL-safe
# (letters, digits, . _ ~ -); deploy/generate-secrets.sh writes hex.
set -eu

fail() {
  echo "docker-entrypoint: $*" >&2
  exit 78
}

read_secret() {
  [ -r "$1" ] || fail "cannot read secret file $1 (missing, or not readable by uid $(id -u))"
  cat "$1"
}

url_safe() {
  case $2 in
    '' | *[!A-Za-z0-9._~-]*) fail "$1 must be non-empty and URL-safe (letters, digits, . _ ~ -); generate it with: openssl rand -hex 32" ;;
  esac
}

for name in JWT_ACCESS_SECRET JWT_REFRESH_SECRET VAPID_PUBLIC_KEY VAPID_PRIVATE_KEY DATABASE_URL REDIS_URL; do
  eval "file=\${${name}_FILE:-}"
  if [ -n "$file" ]; then
    value=$(read_secret "$file")
    export "$name=$value"
    unset "${name}_FILE"
  fi
done

if [ -z "${DATABASE_URL:-}" ] && [ -n "${DATABASE_PASSWORD_FILE:-}" ]; then
  password=$(read_secret "$DATABASE_PASSWORD_FILE")
  url_safe DATABASE_PASSWORD_FILE "$password"
  export DATABASE_URL="postgres://${DATABASE_USER:-chat}:${password}@${DATABASE_HOST:-postgres}:${DATABASE_PORT:-5432}/${DATABASE_NAME:-chat}"
fi

if [ -z "${REDIS_URL:-}" ] && [ -n "${REDIS_PASSWORD_FILE:-}" ]; then
  password=$(read_secret "$REDIS_PASSWORD_FILE")
  url_safe REDIS_PASSWORD_FILE "$password"
  export REDIS_URL="redis://:${password}@${REDIS_HOST:-redis}:${REDIS_PORT:-6379}"
fi

unset file value password DATABASE_PASSWORD_FILE REDIS_PASSWORD_FILE
exec "$@"
