# OpenVPN config parsing and option negotiation sources of nfv_vpn_core.
