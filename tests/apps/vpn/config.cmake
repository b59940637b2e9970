# Tests of the vpn config parser and option negotiation.
