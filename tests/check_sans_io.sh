#!/usr/bin/env bash
# Fails if anything under protocol/ includes Asio, OpenSSL or a socket header.
set -u
dir=${1:?usage: check_sans_io.sh PROTOCOL_DIR}
hits=$(grep -rnE '^\s*#\s*include\s*[<"](asio|boost/asio|openssl/|sys/socket|netinet/|arpa/inet|netdb|winsock)' "$dir" || true)
if [ -n "$hits" ]; then
  echo "protocol/ must stay sans-I/O; these lines include I/O headers:"
  echo "$hits"
  echo "[doctest] test cases: 1 | 0 passed | 1 failed |"
  exit 1
fi
echo "protocol/ is free of I/O headers"
echo "[doctest] test cases: 1 | 1 passed | 0 failed |"
