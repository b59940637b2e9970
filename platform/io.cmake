# nfv::platform_io: the io_uring event loop, sockets, TUN and signals (filled in by the event-loop work).
