#include "nfv/net/dns/record.hpp"

namespace nfv::net::dns {

std::string to_text(const Question& question) {
    return question.name.to_text() + " " + to_text(question.rclass) + " " + to_text(question.type);
}

std::string to_text(const ResourceRecord& record) {
    return record.name.to_text() + " " + std::to_string(record.ttl) + " " + to_text(record.rclass) +
           " " + to_text(record.type()) + " " + rdata_to_text(record.rdata);
}

}  // namespace nfv::net::dns
