# Server session, push reply builder and the client/server simulation over a lossy wire.
nfv_add_test(vpn_server_session_test
  SOURCES
    session/server_session_test.cpp
    session/push_reply_builder_test.cpp
    session/simulation_test.cpp
    session/reset_cookie_test.cpp
  LIBS nfv::vpn_runtime nfv::platform_testing
  LABEL unit)
