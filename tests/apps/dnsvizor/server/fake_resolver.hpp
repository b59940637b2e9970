// A QueryResolver for the server tests: answers names under "local.test." with 10.53.0.x
// records, refuses "refused.test.", forwards everything else to `upstreams`.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "dns/query_resolver.hpp"
#include "server_test_util.hpp"

namespace nfv::dnsvizor::server::test {

class FakeResolver final : public dns::QueryResolver {
public:
    std::vector<dns::Upstream> upstreams;
    std::size_t local_records = 1;  // A records per local answer
    int calls = 0;
    std::optional<std::uint64_t> generation;  // decision_generation(); nullopt: no fast path

    [[nodiscard]] std::optional<std::uint64_t> decision_generation() const override {
        return generation;
    }

    dns::Decision resolve(const net::dns::Message& query, const dns::ClientInfo& /*client*/,
                          platform::Instant /*now*/) override {
        ++calls;
        dns::Decision decision;
        const auto& q = query.questions.at(0);
        if (q.name.is_subdomain_of(name("local.test."))) {
            std::vector<net::dns::ResourceRecord> answers;
            for (std::size_t i = 0; i < local_records; ++i) {
                answers.push_back(
                    a_record(q.name.to_text(), 0, {10, 53, 0, static_cast<std::uint8_t>(i + 1)}));
            }
            decision.reply =
                response(q, net::dns::Rcode::kNoError, std::move(answers), {}, query.header.id);
            decision.reply.header.aa = true;
            return decision;
        }
        if (upstreams.empty() || q.name == name("refused.test.")) {
            decision.reply = response(q, net::dns::Rcode::kRefused, {}, {}, query.header.id);
            return decision;
        }
        decision.kind = dns::Decision::Kind::kForward;
        decision.upstreams = upstreams;
        return decision;
    }
};

}  // namespace nfv::dnsvizor::server::test
