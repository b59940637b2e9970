# nfv::platform_io: the io_uring event loop, sockets, TUN and signals. Runtime code only; protocol
# cores never link it.
add_library(nfv_platform_io STATIC
  src/io/buffer_ring.cpp
  src/io/error.cpp
  src/io/privileges.cpp
  src/io/route_table.cpp
  src/io/event_loop.cpp
  src/io/socket_address.cpp
  src/io/tcp_listener.cpp
  src/io/tcp_stream.cpp
  src/io/timer_queue.cpp
  src/io/tun_device.cpp
  src/io/signal_watcher.cpp
  src/io/socket_util.cpp
  src/io/udp_socket.cpp
  src/io/unique_fd.cpp
)
add_library(nfv::platform_io ALIAS nfv_platform_io)
target_include_directories(nfv_platform_io PUBLIC include)
target_link_libraries(nfv_platform_io PUBLIC nfv::platform PkgConfig::LIBURING
                                      PRIVATE nfv::warnings)

# nfv::platform_io_testing: test helpers for code that needs the OS (run a body in a fresh network
# namespace). Tests only.
add_library(nfv_platform_io_testing STATIC
  testing/src/netns_child.cpp
)
add_library(nfv::platform_io_testing ALIAS nfv_platform_io_testing)
target_include_directories(nfv_platform_io_testing PUBLIC testing/include)
target_link_libraries(nfv_platform_io_testing PUBLIC nfv::platform PRIVATE nfv::warnings)
