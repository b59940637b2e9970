# tls-proxy fuzz targets (corpora in fuzz/corpus/<target>/; see fuzz/corpus/tls_proxy_*/README).
nfv_add_fuzzer(tls_proxy_config_json SOURCES tls_proxy_config_json.cpp LIBS nfv_tls_proxy_core)
nfv_add_fuzzer(tls_proxy_proxy_header SOURCES tls_proxy_proxy_header.cpp LIBS nfv_tls_proxy_core)
nfv_add_fuzzer(tls_proxy_http_redirect SOURCES tls_proxy_http_redirect.cpp
               LIBS nfv_tls_proxy_core)
# The session target makes its certificates with the unit tests' helper.
nfv_add_fuzzer(tls_proxy_client_hello_sni
               SOURCES tls_proxy_client_hello_sni.cpp
                       ${PROJECT_SOURCE_DIR}/tests/apps/tls-proxy/test_certs.cpp
               LIBS nfv_tls_proxy_core)
target_include_directories(tls_proxy_client_hello_sni
                           PRIVATE ${PROJECT_SOURCE_DIR}/tests/apps/tls-proxy)
