#include "nfv/net/dns/error.hpp"

namespace nfv::net::dns {

std::string_view to_string(DnsError error) {
    switch (error) {
        case DnsError::kTruncated:
            return "truncated";
        case DnsError::kLabelTooLong:
            return "label_too_long";
        case DnsError::kNameTooLong:
            return "name_too_long";
        case DnsError::kBadLabelType:
            return "bad_label_type";
        case DnsError::kBadPointer:
            return "bad_pointer";
        case DnsError::kBadRdata:
            return "bad_rdata";
        case DnsError::kTrailingData:
            return "trailing_data";
        case DnsError::kBadOpt:
            return "bad_opt";
        case DnsError::kBadText:
            return "bad_text";
        case DnsError::kTooLarge:
            return "too_large";
        case DnsError::kDoesNotFit:
            return "does_not_fit";
        case DnsError::kFrameTooLarge:
            return "frame_too_large";
    }
    return "unknown";
}

}  // namespace nfv::net::dns
