# tls_proxy interop tests (scripts in tests/interop/tls_proxy_*.sh)
nfv_add_interop_test(interop.tls_proxy_sni SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/tls_proxy_sni.sh)
nfv_add_interop_test(interop.tls_proxy_reload SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/tls_proxy_reload.sh)
nfv_add_interop_test(interop.tls_proxy_idle SCRIPT ${CMAKE_CURRENT_SOURCE_DIR}/tls_proxy_idle.sh)
