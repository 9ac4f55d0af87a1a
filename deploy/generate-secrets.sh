#!/bin/sh
# Creates every missing secret file that docker-compose.yml expects, with random values, and a
# self-signed TLS certificate for trying the stack out. Existing files are left alone.
#
#   deploy/generate-secrets.sh                 # into deploy/secrets
#   SECRETS_DIR=/elsewhere CHAT_DOMAIN=chat.example.com deploy/generate-secrets.sh
#
# Needs openssl. Replace tls.crt / tls.key with a real certificate for a public deployment.
set -eu

dir=${SECRETS_DIR:-$(dirname "$0")/secrets}
domain=${CHAT_DOMAIN:-localhost}
mkdir -p "$dir"
chmod 700 "$dir"

random_secret() {
  # $1 file, $2 bytes of randomness (hex, so URL-safe)
  if [ -e "$dir/$1" ]; then
    echo "kept     $dir/$1"
  else
    (umask 022 && openssl rand -hex "$2" > "$dir/$1")
    echo "created  $dir/$1"
  fi
}

random_secret postgres_password 32
random_secret redis_password 32
random_secret jwt_access_secret 48
random_secret jwt_refresh_secret 48
random_secret grafana_admin_password 24

base64url() {
  openssl base64 -A | tr '+/' '-_' | tr -d '='
}

# The Web Push (VAPID) key pair: a P-256 key, written as web-push's generateVAPIDKeys() writes
# it (base64url of the raw 32-byte private scalar and of the 65-byte uncompressed public point).
if [ -e "$dir/vapid_public_key" ] || [ -e "$dir/vapid_private_key" ]; then
  echo "kept     $dir/vapid_public_key, $dir/vapid_private_key"
else
  pem=$(openssl ecparam -name prime256v1 -genkey -noout)
  # SEC1 DER: the private scalar is the 32 bytes after the 7-byte header; the public point ends the SPKI DER.
  (umask 022 && printf '%s\n' "$pem" | openssl ec -outform DER 2>/dev/null | tail -c +8 | head -c 32 | base64url > "$dir/vapid_private_key")
  (umask 022 && printf '%s\n' "$pem" | openssl ec -pubout -outform DER 2>/dev/null | tail -c 65 | base64url > "$dir/vapid_public_key")
  unset pem
  echo "created  $dir/vapid_public_key, $dir/vapid_private_key"
fi

if [ -e "$dir/tls.crt" ] || [ -e "$dir/tls.key" ]; then
  echo "kept     $dir/tls.crt, $dir/tls.key"
else
  (umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$domain" \
    -addext "subjectAltName=DNS:$domain" -keyout "$dir/tls.key" -out "$dir/tls.crt" 2>/dev/null)
  chmod 644 "$dir/tls.crt"
  echo "created  $dir/tls.crt, $dir/tls.key (self-signed for $domain, 30 days)"
fi
