# tls_proxy interop tests (scripts in tests/interop/tls_proxy_*.sh)
