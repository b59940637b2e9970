# shellcheck shell=bash
# Test-only PKI and static keys for VPN interop tests and benchmarks, generated fresh by each run
# with the real tools (openssl, openvpn --genkey), so no private key lives in the repository.
#
#   source tests/interop/vpn_pki.sh
#   nfv_vpn_pki DIR     # writes into DIR:
#     ca.crt                     test CA (EC P-256)
#     server.crt server.key      CN=server, EKU serverAuth (passes `remote-cert-tls server`)
#     client.crt client.key      CN=client1, EKU clientAuth (passes `remote-cert-tls client`)
#     client2.crt client2.key    CN=client2
#     ta.key                     static key for tls-auth / tls-crypt (openvpn --genkey secret)
#     tc2-server.key             tls-crypt-v2 server key
#     tc2-client.key             tls-crypt-v2 client key wrapped by tc2-server.key
# Every step's failure aborts the calling script (set -e) with openssl's message.

_nfv_vpn_cert() { # DIR NAME CN EKU
  local dir=$1 name=$2 cn=$3 eku=$4
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$dir/$name.key" -out "$dir/$name.csr" -subj "/CN=$cn" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=%s\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' \
    "$eku" >"$dir/$name.ext"
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
    -CAcreateserial -days 30 -sha256 -extfile "$dir/$name.ext" -out "$dir/$name.crt" 2>/dev/null
  rm -f "$dir/$name.csr" "$dir/$name.ext"
  chmod 600 "$dir/$name.key"
}

nfv_vpn_pki() { # DIR
  local dir=$1
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" -subj "/CN=nfv test CA" -days 30 \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  _nfv_vpn_cert "$dir" server server serverAuth
  _nfv_vpn_cert "$dir" client client1 clientAuth
  _nfv_vpn_cert "$dir" client2 client2 clientAuth
  openvpn --genkey secret "$dir/ta.key" >/dev/null
  openvpn --genkey tls-crypt-v2-server "$dir/tc2-server.key" >/dev/null
  openvpn --tls-crypt-v2 "$dir/tc2-server.key" --genkey tls-crypt-v2-client \
    "$dir/tc2-client.key" >/dev/null
}
