#include "dhcp/lease_engine.hpp"

#include <gtest/gtest.h>

#include "dhcp/option_mapper.hpp"

namespace nfv::dnsvizor::dhcp {
namespace {

namespace dh = net::dhcp;
using net::Ipv4Address;
using platform::WallTime;

constexpr WallTime kNow{1'700'000'000};
const Ipv4Address kServer({192, 168, 50, 1});

InterfaceInfo lan() {
    return InterfaceInfo{"lan0", kServer, net::Ipv4Cidr(Ipv4Address({192, 168, 50, 0}), 24)};
}

DhcpServerSettings basic_settings() {
    DhcpServerSettings settings;
    DhcpRange range;
    range.start = Ipv4Address({192, 168, 50, 100});
    range.end = Ipv4Address({192, 168, 50, 150});
    range.lease_seconds = 3600;
    settings.ranges.push_back(range);
    settings.domain = "lan";
    return settings;
}

std::vector<std::byte> bytes(std::initializer_list<int> values) {
    std::vector<std::byte> out;
    for (const int v : values)
        out.push_back(static_cast<std::byte>(v));
    return out;
}

dh::DhcpMessage client_message(dh::MessageType type, std::uint8_t mac_last, std::uint32_t xid = 7) {
    dh::DhcpMessage m;
    m.op = dh::BootpOp::kRequest;
    m.xid = xid;
    m.chaddr = {0x52, 0x54, 0x00, 0x00, 0x00, mac_last};
    m.options.set_u8(dh::OptionCode::kMessageType, static_cast<std::uint8_t>(type));
    m.options.set(dh::OptionCode::kParameterRequestList, bytes({1, 3, 6, 15, 28, 42, 119, 121}));
    return m;
}

dh::DhcpMessage selecting_request(std::uint8_t mac_last, Ipv4Address address) {
    auto m = client_message(dh::MessageType::kRequest, mac_last);
    m.options.set_address(dh::OptionCode::kServerIdentifier, kServer);
    m.options.set_address(dh::OptionCode::kRequestedAddress, address);
    return m;
}

// Runs DISCOVER then REQUEST; returns the acknowledged address.
Ipv4Address obtain(LeaseEngine& engine, std::uint8_t mac_last, WallTime now = kNow) {
    auto discover = client_message(dh::MessageType::kDiscover, mac_last);
    discover.flags = dh::kBroadcastFlag;
    const auto offer = engine.handle(discover, lan(), now);
    EXPECT_TRUE(offer.reply);
    if (!offer.reply)
        return {};
    const auto ack =
        engine.handle(selecting_request(mac_last, offer.reply->message.yiaddr), lan(), now);
    EXPECT_TRUE(ack.reply);
    if (!ack.reply)
        return {};
    EXPECT_EQ(ack.reply->message.options.message_type(), dh::MessageType::kAck);
    return ack.reply->message.yiaddr;
}

TEST(LeaseEngine, OffersAnAddressFromTheRangeWithDnsmasqDefaults) {
    LeaseEngine engine(basic_settings());
    auto discover = client_message(dh::MessageType::kDiscover, 1);
    discover.flags = dh::kBroadcastFlag;
    const auto outcome = engine.handle(discover, lan(), kNow);
    ASSERT_TRUE(outcome.reply);
    const auto& offer = outcome.reply->message;
    EXPECT_EQ(offer.op, dh::BootpOp::kReply);
    EXPECT_EQ(offer.xid, 7U);
    EXPECT_EQ(offer.options.message_type(), dh::MessageType::kOffer);
    EXPECT_GE(offer.yiaddr.to_u32(), Ipv4Address({192, 168, 50, 100}).to_u32());
    EXPECT_LE(offer.yiaddr.to_u32(), Ipv4Address({192, 168, 50, 150}).to_u32());
    EXPECT_EQ(offer.options.get_address(dh::OptionCode::kServerIdentifier), kServer);
    EXPECT_EQ(offer.options.get_u32(dh::OptionCode::kLeaseTime), 3600U);
    EXPECT_EQ(offer.options.get_u32(dh::OptionCode::kRenewalTime), 1800U);
    EXPECT_EQ(offer.options.get_u32(dh::OptionCode::kRebindingTime), 3150U);
    EXPECT_EQ(offer.options.get_address(dh::OptionCode::kSubnetMask),
              Ipv4Address({255, 255, 255, 0}));
    EXPECT_EQ(offer.options.get_address(dh::OptionCode::kRouter), kServer);
    EXPECT_EQ(offer.options.get_address(dh::OptionCode::kDnsServer), kServer);
    EXPECT_EQ(offer.options.get_text(dh::OptionCode::kDomainName), "lan");
    EXPECT_EQ(offer.options.get_address(dh::OptionCode::kBroadcastAddress),
              Ipv4Address({192, 168, 50, 255}));
    EXPECT_EQ(outcome.reply->to, ReplyTo::kBroadcast);
    EXPECT_TRUE(outcome.changes.empty()) << "an offer is not a lease";
    EXPECT_NE(outcome.log.find("DHCPOFFER(lan0)"), std::string::npos);
}

TEST(LeaseEngine, RequestInSelectingStateCommitsTheLeaseBeforeAcking) {
    LeaseEngine engine(basic_settings());
    auto discover = client_message(dh::MessageType::kDiscover, 2);
    discover.options.set_text(dh::OptionCode::kHostName, "laptop");
    const auto offer = engine.handle(discover, lan(), kNow);
    ASSERT_TRUE(offer.reply);
    auto request = selecting_request(2, offer.reply->message.yiaddr);
    request.options.set_text(dh::OptionCode::kHostName, "laptop");
    const auto ack = engine.handle(request, lan(), kNow);
    ASSERT_TRUE(ack.reply);
    EXPECT_EQ(ack.reply->message.options.message_type(), dh::MessageType::kAck);
    ASSERT_EQ(ack.changes.size(), 1U);
    EXPECT_EQ(ack.changes[0].event, LeaseEvent::kAdded);
    EXPECT_EQ(ack.changes[0].lease.address, offer.reply->message.yiaddr);
    EXPECT_EQ(ack.changes[0].lease.hostname, "laptop");
    EXPECT_EQ(ack.changes[0].lease.expires.unix_seconds, kNow.unix_seconds + 3600);
    EXPECT_EQ(engine.leases().size(), 1U);
    EXPECT_EQ(ack.reply->to, ReplyTo::kHardwareUnicast) << "no broadcast flag, no ciaddr";
}

TEST(LeaseEngine, RequestForAnotherServerIsIgnoredAndReleasesOurOffer) {
    LeaseEngine engine(basic_settings());
    const auto offer = engine.handle(client_message(dh::MessageType::kDiscover, 3), lan(), kNow);
    ASSERT_TRUE(offer.reply);
    auto request = selecting_request(3, offer.reply->message.yiaddr);
    request.options.set_address(dh::OptionCode::kServerIdentifier, Ipv4Address({192, 168, 50, 2}));
    const auto outcome = engine.handle(request, lan(), kNow);
    EXPECT_FALSE(outcome.reply);
    EXPECT_TRUE(engine.leases().empty());
}

TEST(LeaseEngine, AClientGetsItsLeasedAddressAgain) {
    LeaseEngine engine(basic_settings());
    const auto first = obtain(engine, 4);
    const auto again = engine.handle(client_message(dh::MessageType::kDiscover, 4), lan(), kNow);
    ASSERT_TRUE(again.reply);
    EXPECT_EQ(again.reply->message.yiaddr, first);
}

TEST(LeaseEngine, TwoClientsNeverShareAnAddressAndOffersAreHeld) {
    DhcpServerSettings settings = basic_settings();
    settings.ranges[0].end = Ipv4Address({192, 168, 50, 101});  // two addresses
    LeaseEngine engine(settings);
    const auto a = engine.handle(client_message(dh::MessageType::kDiscover, 5), lan(), kNow);
    const auto b = engine.handle(client_message(dh::MessageType::kDiscover, 6), lan(), kNow);
    ASSERT_TRUE(a.reply);
    ASSERT_TRUE(b.reply);
    EXPECT_NE(a.reply->message.yiaddr, b.reply->message.yiaddr);
    const auto c = engine.handle(client_message(dh::MessageType::kDiscover, 7), lan(), kNow);
    EXPECT_FALSE(c.reply) << "pool of two is exhausted by two held offers";
    EXPECT_NE(c.log.find("no address available"), std::string::npos);
}

TEST(LeaseEngine, StaticHostGetsItsAddressAndNobodyElseDoes) {
    DhcpServerSettings settings = basic_settings();
    settings.ranges[0].end = Ipv4Address({192, 168, 50, 100});  // one dynamic address
    StaticHost host;
    host.hardware.push_back(HardwarePattern{std::nullopt, {0x52, 0x54, 0x00, 0x00, 0x00, 0x10}});
    host.address = Ipv4Address({192, 168, 50, 100});
    host.hostname = "nas";
    settings.hosts.push_back(host);
    LeaseEngine engine(settings);
    const auto other = engine.handle(client_message(dh::MessageType::kDiscover, 11), lan(), kNow);
    EXPECT_FALSE(other.reply) << "the only address is reserved for the static host";
    const auto address = obtain(engine, 0x10);
    EXPECT_EQ(address, Ipv4Address({192, 168, 50, 100}));
    EXPECT_EQ(engine.leases()[0].hostname, "nas") << "dhcp-host name overrides the client's";
}

TEST(LeaseEngine, StaticAddressOutsideTheRangeButInTheSubnetIsGiven) {
    DhcpServerSettings settings = basic_settings();
    StaticHost host;
    host.hardware.push_back(HardwarePattern{std::nullopt, {0x52, 0x54, 0x00, 0x00, 0x00, 0x12}});
    host.address = Ipv4Address({192, 168, 50, 20});
    settings.hosts.push_back(host);
    settings.ranges[0].static_only = true;
    LeaseEngine engine(settings);
    EXPECT_EQ(obtain(engine, 0x12), Ipv4Address({192, 168, 50, 20}));
    const auto unknown =
        engine.handle(client_message(dh::MessageType::kDiscover, 0x13), lan(), kNow);
    EXPECT_FALSE(unknown.reply) << "a static range serves only dhcp-host clients";
}

TEST(LeaseEngine, StaticAddressOutsideADynamicRangeIsGivenToItsHost) {
    DhcpServerSettings settings = basic_settings();  // dynamic range .100-.150
    StaticHost host;
    host.hardware.push_back(HardwarePattern{std::nullopt, {0x52, 0x54, 0x00, 0x00, 0x00, 0x14}});
    host.address = Ipv4Address({192, 168, 50, 20});
    settings.hosts.push_back(host);
    LeaseEngine engine(settings);
    EXPECT_EQ(obtain(engine, 0x14), Ipv4Address({192, 168, 50, 20}));
    const Ipv4Address other = obtain(engine, 0x15);
    EXPECT_GE(other.to_u32(), Ipv4Address({192, 168, 50, 100}).to_u32());
}

TEST(LeaseEngine, IgnoreUnknownClientsServesOnlyDhcpHosts) {
    DhcpServerSettings settings = basic_settings();
    StaticHost host;
    host.hardware.push_back(HardwarePattern{std::nullopt, {0x52, 0x54, 0x00, 0x00, 0x00, 0x16}});
    settings.hosts.push_back(host);
    settings.ignore.push_back({TagCondition{"known", true}});  // dhcp-ignore=tag:!known
    LeaseEngine engine(settings);
    const auto unknown =
        engine.handle(client_message(dh::MessageType::kDiscover, 0x17), lan(), kNow);
    EXPECT_FALSE(unknown.reply);
    EXPECT_NE(unknown.log.find("ignored"), std::string::npos);
    EXPECT_NE(obtain(engine, 0x16), Ipv4Address{}) << "the known host is served";
}

TEST(LeaseEngine, RangeSetTagSelectsTaggedOptions) {
    DhcpServerSettings settings = basic_settings();
    settings.ranges[0].set_tag = "lan";  // dhcp-range=set:lan,...
    settings.options.push_back(
        ServedOption{42, bytes({10, 0, 0, 1}), {{"lan", false}}, false, {}});  // tag:lan
    settings.options.push_back(
        ServedOption{44, bytes({10, 0, 0, 2}), {{"wan", false}}, false, {}});  // tag:wan
    LeaseEngine engine(settings);
    auto discover = client_message(dh::MessageType::kDiscover, 0x18);
    discover.options.set(dh::OptionCode::kParameterRequestList, bytes({1, 42, 44}));
    const auto offer = engine.handle(discover, lan(), kNow);
    ASSERT_TRUE(offer.reply);
    EXPECT_EQ(offer.reply->message.options.get_address(dh::OptionCode::kNtpServer),
              Ipv4Address({10, 0, 0, 1}));
    EXPECT_EQ(offer.reply->message.options.find(44), nullptr);
}

TEST(LeaseEngine, WildcardHardwarePatternMatches) {
    DhcpServerSettings settings = basic_settings();
    StaticHost host;
    host.hardware.push_back(HardwarePattern{std::nullopt, {0x52, 0x54, 0x00, -1, -1, -1}});
    host.ignore = true;
    settings.hosts.push_back(host);
    LeaseEngine engine(settings);
    EXPECT_FALSE(
        engine.handle(client_message(dh::MessageType::kDiscover, 0x44), lan(), kNow).reply);
    EXPECT_EQ(engine.counters().ignored, 1U);
}

TEST(LeaseEngine, InitRebootFollowsRfc2131AndAuthoritativeMode) {
    LeaseEngine engine(basic_settings());
    const auto address = obtain(engine, 20);
    auto reboot = client_message(dh::MessageType::kRequest, 20);
    reboot.options.set_address(dh::OptionCode::kRequestedAddress, address);
    const auto known = engine.handle(reboot, lan(), kNow);
    ASSERT_TRUE(known.reply);
    EXPECT_EQ(known.reply->message.options.message_type(), dh::MessageType::kAck);

    auto wrong_net = client_message(dh::MessageType::kRequest, 20);
    wrong_net.options.set_address(dh::OptionCode::kRequestedAddress, Ipv4Address({10, 1, 1, 5}));
    const auto nak = engine.handle(wrong_net, lan(), kNow);
    ASSERT_TRUE(nak.reply);
    EXPECT_EQ(nak.reply->message.options.message_type(), dh::MessageType::kNak);
    EXPECT_EQ(nak.reply->to, ReplyTo::kBroadcast);
    EXPECT_EQ(nak.reply->message.yiaddr, Ipv4Address{});

    auto stranger = client_message(dh::MessageType::kRequest, 21);
    stranger.options.set_address(dh::OptionCode::kRequestedAddress,
                                 Ipv4Address({192, 168, 50, 140}));
    EXPECT_FALSE(engine.handle(stranger, lan(), kNow).reply)
        << "no record, not authoritative: silent";

    DhcpServerSettings authoritative = basic_settings();
    authoritative.authoritative = true;
    LeaseEngine rebuilt(authoritative);
    const auto granted = rebuilt.handle(stranger, lan(), kNow);
    ASSERT_TRUE(granted.reply);
    EXPECT_EQ(granted.reply->message.options.message_type(), dh::MessageType::kAck);
    EXPECT_EQ(granted.reply->message.yiaddr, Ipv4Address({192, 168, 50, 140}));
    ASSERT_EQ(granted.changes.size(), 1U);
}

TEST(LeaseEngine, RenewingExtendsTheLeaseAndRepliesToCiaddr) {
    LeaseEngine engine(basic_settings());
    const auto address = obtain(engine, 30);
    auto renew = client_message(dh::MessageType::kRequest, 30);
    renew.ciaddr = address;
    const WallTime later{kNow.unix_seconds + 1800};
    const auto outcome = engine.handle(renew, lan(), later);
    ASSERT_TRUE(outcome.reply);
    EXPECT_EQ(outcome.reply->message.options.message_type(), dh::MessageType::kAck);
    EXPECT_EQ(outcome.reply->to, ReplyTo::kClientAddress);
    EXPECT_EQ(outcome.reply->destination, address);
    ASSERT_EQ(outcome.changes.size(), 1U);
    EXPECT_EQ(outcome.changes[0].event, LeaseEvent::kRenewed);
    EXPECT_EQ(engine.leases()[0].expires.unix_seconds, later.unix_seconds + 3600);
}

TEST(LeaseEngine, RenewingForAnotherClientsAddressIsNakked) {
    LeaseEngine engine(basic_settings());
    const auto address = obtain(engine, 31);
    (void)obtain(engine, 32);
    auto thief = client_message(dh::MessageType::kRequest, 32);
    thief.ciaddr = address;
    const auto outcome = engine.handle(thief, lan(), kNow);
    ASSERT_TRUE(outcome.reply);
    EXPECT_EQ(outcome.reply->message.options.message_type(), dh::MessageType::kNak);
    EXPECT_EQ(engine.leases().size(), 2U);
}

TEST(LeaseEngine, ReleaseRemovesOnlyTheClientsOwnLease) {
    LeaseEngine engine(basic_settings());
    const auto address = obtain(engine, 40);
    auto foreign = client_message(dh::MessageType::kRelease, 41);
    foreign.ciaddr = address;
    EXPECT_TRUE(engine.handle(foreign, lan(), kNow).changes.empty());
    auto release = client_message(dh::MessageType::kRelease, 40);
    release.ciaddr = address;
    release.options.set_address(dh::OptionCode::kServerIdentifier, kServer);
    const auto outcome = engine.handle(release, lan(), kNow);
    EXPECT_FALSE(outcome.reply);
    ASSERT_EQ(outcome.changes.size(), 1U);
    EXPECT_EQ(outcome.changes[0].event, LeaseEvent::kReleased);
    EXPECT_TRUE(engine.leases().empty());
}

TEST(LeaseEngine, DeclinedAddressIsNotOfferedAgainForAWhile) {
    DhcpServerSettings settings = basic_settings();
    settings.ranges[0].end = Ipv4Address({192, 168, 50, 101});
    settings.sequential_ip = true;
    LeaseEngine engine(settings);
    const auto address = obtain(engine, 50);
    EXPECT_EQ(address, Ipv4Address({192, 168, 50, 100}));
    auto decline = client_message(dh::MessageType::kDecline, 50);
    decline.options.set_address(dh::OptionCode::kRequestedAddress, address);
    const auto outcome = engine.handle(decline, lan(), kNow);
    ASSERT_EQ(outcome.changes.size(), 1U);
    EXPECT_EQ(outcome.changes[0].event, LeaseEvent::kDeclined);
    const auto next = engine.handle(client_message(dh::MessageType::kDiscover, 50), lan(), kNow);
    ASSERT_TRUE(next.reply);
    EXPECT_EQ(next.reply->message.yiaddr, Ipv4Address({192, 168, 50, 101}));
}

TEST(LeaseEngine, InformGetsOptionsWithoutALease) {
    LeaseEngine engine(basic_settings());
    auto inform = client_message(dh::MessageType::kInform, 60);
    inform.ciaddr = Ipv4Address({192, 168, 50, 9});
    const auto outcome = engine.handle(inform, lan(), kNow);
    ASSERT_TRUE(outcome.reply);
    const auto& ack = outcome.reply->message;
    EXPECT_EQ(ack.options.message_type(), dh::MessageType::kAck);
    EXPECT_EQ(ack.yiaddr, Ipv4Address{});
    EXPECT_FALSE(ack.options.has(dh::OptionCode::kLeaseTime));
    EXPECT_EQ(ack.options.get_address(dh::OptionCode::kDnsServer), kServer);
    EXPECT_EQ(outcome.reply->to, ReplyTo::kClientAddress);
    EXPECT_TRUE(outcome.changes.empty());
}

TEST(LeaseEngine, RapidCommitAcksADiscoverDirectly) {
    DhcpServerSettings settings = basic_settings();
    settings.rapid_commit = true;
    LeaseEngine engine(settings);
    auto discover = client_message(dh::MessageType::kDiscover, 70);
    discover.options.set(dh::OptionCode::kRapidCommit, std::span<const std::byte>{});
    const auto outcome = engine.handle(discover, lan(), kNow);
    ASSERT_TRUE(outcome.reply);
    EXPECT_EQ(outcome.reply->message.options.message_type(), dh::MessageType::kAck);
    EXPECT_TRUE(outcome.reply->message.options.has(dh::OptionCode::kRapidCommit));
    EXPECT_EQ(outcome.changes.size(), 1U);

    LeaseEngine without(basic_settings());
    const auto offered = without.handle(discover, lan(), kNow);
    ASSERT_TRUE(offered.reply);
    EXPECT_EQ(offered.reply->message.options.message_type(), dh::MessageType::kOffer);
}

TEST(LeaseEngine, RelayedRequestsUseTheRelaysRangeAndEchoOption82) {
    DhcpServerSettings settings = basic_settings();
    DhcpRange remote;
    remote.start = Ipv4Address({10, 20, 0, 10});
    remote.end = Ipv4Address({10, 20, 0, 20});
    remote.netmask = Ipv4Address({255, 255, 255, 0});
    settings.ranges.push_back(remote);
    LeaseEngine engine(settings);
    auto discover = client_message(dh::MessageType::kDiscover, 80);
    discover.giaddr = Ipv4Address({10, 20, 0, 1});
    discover.hops = 1;
    discover.options.set(dh::OptionCode::kRelayAgentInfo, bytes({1, 3, 'p', 'o', 'e'}));
    const auto outcome = engine.handle(discover, lan(), kNow);
    ASSERT_TRUE(outcome.reply);
    EXPECT_EQ(outcome.reply->to, ReplyTo::kRelay);
    EXPECT_EQ(outcome.reply->destination, Ipv4Address({10, 20, 0, 1}));
    EXPECT_EQ(outcome.reply->message.giaddr, Ipv4Address({10, 20, 0, 1}));
    EXPECT_TRUE(
        net::Ipv4Cidr(Ipv4Address({10, 20, 0, 0}), 24).contains(outcome.reply->message.yiaddr));
    ASSERT_NE(outcome.reply->message.options.find(dh::OptionCode::kRelayAgentInfo), nullptr);
    EXPECT_EQ(*outcome.reply->message.options.find(dh::OptionCode::kRelayAgentInfo),
              bytes({1, 3, 'p', 'o', 'e'}));
}

TEST(LeaseEngine, LeaseMaxStopsNewLeases) {
    DhcpServerSettings settings = basic_settings();
    settings.lease_max = 1;
    LeaseEngine engine(settings);
    (void)obtain(engine, 90);
    EXPECT_FALSE(engine.handle(client_message(dh::MessageType::kDiscover, 91), lan(), kNow).reply);
}

TEST(LeaseEngine, ExpiredLeasesAreRemovedAndReported) {
    LeaseEngine engine(basic_settings());
    (void)obtain(engine, 100);
    EXPECT_EQ(engine.next_expiry(), WallTime{kNow.unix_seconds + 3600});
    EXPECT_TRUE(engine.expire(WallTime{kNow.unix_seconds + 3599}).empty());
    const auto gone = engine.expire(WallTime{kNow.unix_seconds + 3600});
    ASSERT_EQ(gone.size(), 1U);
    EXPECT_EQ(gone[0].event, LeaseEvent::kExpired);
    EXPECT_TRUE(engine.leases().empty());
}

TEST(LeaseEngine, LoadedLeasesAreHonouredAndExpiredOnesDropped) {
    LeaseEngine engine(basic_settings());
    Lease kept;
    kept.address = Ipv4Address({192, 168, 50, 120});
    kept.hardware.bytes = {0x52, 0x54, 0x00, 0x00, 0x00, 0x77};
    kept.expires = WallTime{kNow.unix_seconds + 100};
    Lease old = kept;
    old.address = Ipv4Address({192, 168, 50, 121});
    old.hardware.bytes.back() = 0x78;
    old.expires = WallTime{kNow.unix_seconds - 1};
    engine.load({kept, old}, kNow);
    ASSERT_EQ(engine.leases().size(), 1U);
    const auto offer = engine.handle(client_message(dh::MessageType::kDiscover, 0x77), lan(), kNow);
    ASSERT_TRUE(offer.reply);
    EXPECT_EQ(offer.reply->message.yiaddr, kept.address);
}

TEST(LeaseEngine, OptionsFollowRequestListForceSuppressionAndTags) {
    DhcpServerSettings settings = basic_settings();
    settings.options.push_back(ServedOption{3, {}, {}, false, {}});  // no router
    settings.options.push_back(ServedOption{42, bytes({10, 0, 0, 123}), {}, false, {}});
    settings.options.push_back(
        ServedOption{66, bytes({'t', 'f', 't', 'p'}), {}, false, {}});  // not asked
    settings.options.push_back(
        ServedOption{252, bytes({'w', 'p', 'a', 'd'}), {}, true, {}});  // forced
    settings.options.push_back(ServedOption{6, bytes({9, 9, 9, 9}), {{"known", false}}, false, {}});
    LeaseEngine engine(settings);
    const auto outcome =
        engine.handle(client_message(dh::MessageType::kDiscover, 110), lan(), kNow);
    ASSERT_TRUE(outcome.reply);
    const auto& o = outcome.reply->message.options;
    EXPECT_FALSE(o.has(dh::OptionCode::kRouter)) << "an empty dhcp-option=3 suppresses the router";
    EXPECT_EQ(o.get_address(dh::OptionCode::kNtpServer), Ipv4Address({10, 0, 0, 123}));
    EXPECT_EQ(o.find(66), nullptr) << "not in the parameter request list and not forced";
    ASSERT_NE(o.find(252), nullptr);
    EXPECT_EQ(o.get_address(dh::OptionCode::kDnsServer), kServer) << "tag:known does not apply";
}

TEST(LeaseEngine, ZeroAddressInAConfiguredOptionMeansThisServer) {
    DhcpServerSettings settings = basic_settings();
    // dhcp-option=option:ntp-server,10.0.0.5,0.0.0.0
    settings.options.push_back(
        ServedOption{42, bytes({10, 0, 0, 5, 0, 0, 0, 0}), {}, false, {std::size_t{4}}});
    LeaseEngine engine(settings);
    const auto outcome =
        engine.handle(client_message(dh::MessageType::kDiscover, 111), lan(), kNow);
    ASSERT_TRUE(outcome.reply);
    const auto servers = outcome.reply->message.options.get_addresses(dh::OptionCode::kNtpServer);
    ASSERT_TRUE(servers);
    EXPECT_EQ(*servers, (std::vector<Ipv4Address>{Ipv4Address({10, 0, 0, 5}), kServer}));
}

TEST(LeaseEngine, HostNameComesFromFqdnFirstAndMovesToTheNewestLease) {
    LeaseEngine engine(basic_settings());
    auto discover = client_message(dh::MessageType::kDiscover, 120);
    discover.options.set_text(dh::OptionCode::kHostName, "ignored-name");
    discover.options.set(dh::OptionCode::kClientFqdn,
                         dh::encode_client_fqdn({dh::kFqdnFlagE, "desk.lan", false}));
    const auto offer = engine.handle(discover, lan(), kNow);
    ASSERT_TRUE(offer.reply);
    auto request = selecting_request(120, offer.reply->message.yiaddr);
    request.options.set(dh::OptionCode::kClientFqdn,
                        dh::encode_client_fqdn({dh::kFqdnFlagE, "desk.lan", false}));
    ASSERT_TRUE(engine.handle(request, lan(), kNow).reply);
    EXPECT_EQ(engine.leases()[0].hostname, "desk");

    auto second = client_message(dh::MessageType::kDiscover, 121);
    second.options.set_text(dh::OptionCode::kHostName, "desk");
    const auto offer2 = engine.handle(second, lan(), kNow);
    ASSERT_TRUE(offer2.reply);
    auto request2 = selecting_request(121, offer2.reply->message.yiaddr);
    request2.options.set_text(dh::OptionCode::kHostName, "desk");
    const auto ack2 = engine.handle(request2, lan(), kNow);
    ASSERT_EQ(ack2.changes.size(), 2U) << "the old lease loses the name, the new one is added";
    int named = 0;
    for (const auto& lease : engine.leases())
        named += lease.hostname == "desk" ? 1 : 0;
    EXPECT_EQ(named, 1);
}

TEST(LeaseEngine, IllegalOrForeignHostNamesAreDropped) {
    LeaseEngine engine(basic_settings());
    auto discover = client_message(dh::MessageType::kDiscover, 130);
    const auto offer = engine.handle(discover, lan(), kNow);
    ASSERT_TRUE(offer.reply);
    auto request = selecting_request(130, offer.reply->message.yiaddr);
    request.options.set_text(dh::OptionCode::kHostName, "bad_name!");
    ASSERT_TRUE(engine.handle(request, lan(), kNow).reply);
    EXPECT_TRUE(engine.leases()[0].hostname.empty());
}

TEST(LeaseEngine, ClientMayAskForAShorterLeaseButNotBelowTwoMinutes) {
    LeaseEngine engine(basic_settings());
    auto discover = client_message(dh::MessageType::kDiscover, 140);
    discover.options.set_u32(dh::OptionCode::kLeaseTime, 600);
    auto offer = engine.handle(discover, lan(), kNow);
    ASSERT_TRUE(offer.reply);
    EXPECT_EQ(offer.reply->message.options.get_u32(dh::OptionCode::kLeaseTime), 600U);
    discover.options.set_u32(dh::OptionCode::kLeaseTime, 5);
    offer = engine.handle(discover, lan(), kNow);
    ASSERT_TRUE(offer.reply);
    EXPECT_EQ(offer.reply->message.options.get_u32(dh::OptionCode::kLeaseTime), 120U);
}

TEST(LeaseEngine, InfiniteLeaseHasNoTimersAndNeverExpires) {
    DhcpServerSettings settings = basic_settings();
    settings.ranges[0].lease_seconds = kInfiniteLease;
    LeaseEngine engine(settings);
    (void)obtain(engine, 150);
    EXPECT_TRUE(engine.leases()[0].infinite());
    EXPECT_FALSE(engine.next_expiry());
    EXPECT_TRUE(engine.expire(WallTime{kNow.unix_seconds + 100'000'000}).empty());
}

TEST(LeaseEngine, RepliesAreIgnoredAndRequestsWithoutTypeToo) {
    LeaseEngine engine(basic_settings());
    auto reply = client_message(dh::MessageType::kOffer, 160);
    reply.op = dh::BootpOp::kReply;
    EXPECT_FALSE(engine.handle(reply, lan(), kNow).reply);
    dh::DhcpMessage bootp;
    EXPECT_FALSE(engine.handle(bootp, lan(), kNow).reply);
    EXPECT_EQ(engine.counters().ignored, 2U);
}

// dhcp-match / dhcp-vendorclass / dhcp-userclass / tag-if, mapped from dnsmasq lines.
namespace tags {

DhcpServerSettings settings_from(std::vector<std::string> lines) {
    std::vector<config::RawOption> options;
    std::size_t line = 1;
    for (const auto& text : lines) {
        config::RawOption o;
        const auto eq = text.find('=');
        o.name = text.substr(0, eq);
        o.value = eq == std::string::npos ? "" : text.substr(eq + 1);
        o.has_value = eq != std::string::npos;
        o.where = {"/etc/dnsmasq.conf", line++};
        options.push_back(std::move(o));
    }
    auto mapped = map_dhcp_options(options);
    EXPECT_TRUE(mapped) << (mapped ? "" : mapped.error());
    return mapped ? mapped->settings : DhcpServerSettings{};
}

std::optional<std::string> offered_domain(LeaseEngine& engine, const dh::DhcpMessage& discover) {
    const auto outcome = engine.handle(discover, lan(), kNow);
    if (!outcome.reply)
        return std::nullopt;
    const auto* value = outcome.reply->message.options.find(dh::OptionCode::kDomainName);
    if (value == nullptr)
        return std::string();
    std::string text;
    for (const auto b : *value)
        text.push_back(static_cast<char>(b));
    return text;
}

const std::vector<std::string> kBase{"dhcp-range=192.168.50.100,192.168.50.150"};

std::vector<std::string> with(std::vector<std::string> extra) {
    auto lines = kBase;
    lines.insert(lines.end(), extra.begin(), extra.end());
    return lines;
}

TEST(LeaseEngineTags, DhcpMatchOnPresenceAndOnAnItemOfTheOption) {
    LeaseEngine engine(settings_from(with({
        "dhcp-match=set:efi64,option:client-arch,7",
        "dhcp-match=set:hasuc,77",
        "dhcp-option=tag:efi64,15,efi.lan",
        "dhcp-option=tag:hasuc,tag:!efi64,15,uc.lan",
    })));
    auto plain = client_message(dh::MessageType::kDiscover, 1);
    EXPECT_EQ(offered_domain(engine, plain), "");
    auto efi = client_message(dh::MessageType::kDiscover, 2);
    efi.options.set(std::uint8_t{93}, bytes({0, 6, 0, 7}));  // client-arch list: 6, 7
    EXPECT_EQ(offered_domain(engine, efi), "efi.lan");
    auto bios = client_message(dh::MessageType::kDiscover, 3);
    bios.options.set(std::uint8_t{93}, bytes({0x07, 0x00}));  // 0x0700: not arch 7
    bios.options.set(std::uint8_t{77}, bytes({3, 'a', 'b', 'c'}));
    EXPECT_EQ(offered_domain(engine, bios), "uc.lan");
}

TEST(LeaseEngineTags, DhcpMatchTextValueIsASubstringAndHexAPrefix) {
    LeaseEngine engine(settings_from(with({
        "dhcp-match=set:ipxe,175",
        "dhcp-match=set:pxe,60,PXEClient",
        "dhcp-match=set:hex,43,01:02",
        "dhcp-option=tag:pxe,15,pxe.lan",
        "dhcp-option=tag:hex,15,hex.lan",
    })));
    auto pxe = client_message(dh::MessageType::kDiscover, 1);
    pxe.options.set(dh::OptionCode::kVendorClass,
                    bytes({'x', 'P', 'X', 'E', 'C', 'l', 'i', 'e', 'n', 't', ':'}));
    EXPECT_EQ(offered_domain(engine, pxe), "pxe.lan");
    auto hex = client_message(dh::MessageType::kDiscover, 2);
    hex.options.set(std::uint8_t{43}, bytes({1, 2, 3}));
    EXPECT_EQ(offered_domain(engine, hex), "hex.lan");
    auto not_prefix = client_message(dh::MessageType::kDiscover, 3);
    not_prefix.options.set(std::uint8_t{43}, bytes({0, 1, 2}));
    EXPECT_EQ(offered_domain(engine, not_prefix), "");
}

TEST(LeaseEngineTags, VendorAndUserClassesAreSubstrings) {
    LeaseEngine engine(settings_from(with({
        "dhcp-vendorclass=set:msft,MSFT",
        "dhcp-userclass=set:accounts,accounts",
        "dhcp-option=tag:msft,15,msft.lan",
        "dhcp-option=tag:accounts,15,accounts.lan",
    })));
    auto windows = client_message(dh::MessageType::kDiscover, 1);
    windows.options.set(dh::OptionCode::kVendorClass, bytes({'M', 'S', 'F', 'T', ' ', '5'}));
    EXPECT_EQ(offered_domain(engine, windows), "msft.lan");
    auto rfc3004 = client_message(dh::MessageType::kDiscover, 2);
    rfc3004.options.set(dh::OptionCode::kUserClass,
                        bytes({2, 'x', 'y', 9, 'a', 'c', 'c', 'o', 'u', 'n', 't', 's', '2'}));
    EXPECT_EQ(offered_domain(engine, rfc3004), "accounts.lan");
    auto bare = client_message(dh::MessageType::kDiscover, 3);  // not RFC 3004: one string
    bare.options.set(dh::OptionCode::kUserClass, bytes({'a', 'c', 'c', 'o', 'u', 'n', 't', 's'}));
    EXPECT_EQ(offered_domain(engine, bare), "accounts.lan");
    auto other = client_message(dh::MessageType::kDiscover, 4);
    other.options.set(dh::OptionCode::kUserClass, bytes({3, 'a', 'c', 'c'}));
    EXPECT_EQ(offered_domain(engine, other), "");
}

TEST(LeaseEngineTags, TagIfRunsInOrderAfterHostAndRangeTags) {
    LeaseEngine engine(settings_from(with({
        "dhcp-host=52:54:00:00:00:01,set:nas",
        "dhcp-vendorclass=set:android,android-dhcp",
        "tag-if=set:quiet,tag:nas",
        "tag-if=set:phone,set:mobile,tag:android,tag:!known",
        "tag-if=set:tagged-mobile,tag:mobile",
        "dhcp-option=tag:quiet,15,quiet.lan",
        "dhcp-option=tag:tagged-mobile,15,mobile.lan",
        "dhcp-ignore=tag:phone,tag:!mobile",
    })));
    EXPECT_EQ(offered_domain(engine, client_message(dh::MessageType::kDiscover, 1)), "quiet.lan");
    auto phone = client_message(dh::MessageType::kDiscover, 2);
    phone.options.set(dh::OptionCode::kVendorClass, bytes({'a', 'n', 'd', 'r', 'o', 'i', 'd', '-',
                                                           'd', 'h', 'c', 'p', '-', '1', '3'}));
    EXPECT_EQ(offered_domain(engine, phone), "mobile.lan");
    EXPECT_EQ(offered_domain(engine, client_message(dh::MessageType::kDiscover, 3)), "");
}

TEST(LeaseEngineTags, MatchTagsSelectAHostEntry) {
    LeaseEngine engine(settings_from(with({
        "dhcp-vendorclass=set:printer,HP",
        "dhcp-host=tag:printer,52:54:00:00:00:*,192.168.50.200",
    })));
    auto printer = client_message(dh::MessageType::kDiscover, 5);
    printer.options.set(dh::OptionCode::kVendorClass, bytes({'H', 'P', 'x'}));
    const auto offered = engine.handle(printer, lan(), kNow);
    ASSERT_TRUE(offered.reply);
    EXPECT_EQ(offered.reply->message.yiaddr, Ipv4Address({192, 168, 50, 200}));
    const auto other = engine.handle(client_message(dh::MessageType::kDiscover, 6), lan(), kNow);
    ASSERT_TRUE(other.reply);
    EXPECT_NE(other.reply->message.yiaddr, Ipv4Address({192, 168, 50, 200}));
}

}  // namespace tags

}  // namespace
}  // namespace nfv::dnsvizor::dhcp
