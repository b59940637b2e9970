#include "config/option_table.hpp"

#include <array>

namespace nfv::dnsvizor::config {
namespace {

constexpr ArgKind kNo = ArgKind::kNone;
constexpr ArgKind kReq = ArgKind::kRequired;
constexpr ArgKind kOpt = ArgKind::kOptional;
constexpr Repeat kFlag = Repeat::kFlag;
constexpr Repeat kOnce = Repeat::kOnce;
constexpr Repeat kMany = Repeat::kMany;
constexpr OptionGroup kProc = OptionGroup::kProcess;
constexpr OptionGroup kUp = OptionGroup::kUpstream;
constexpr OptionGroup kLocal = OptionGroup::kLocal;
constexpr OptionGroup kCache = OptionGroup::kCache;
constexpr OptionGroup kDhcpG = OptionGroup::kDhcp;
constexpr OptionGroup kAuth = OptionGroup::kAuth;
constexpr OptionGroup kOther = OptionGroup::kOther;
constexpr OptionStatus kMap = OptionStatus::kMapped;
constexpr OptionStatus kDhcp = OptionStatus::kDhcp;
constexpr OptionStatus kRead = OptionStatus::kReader;
constexpr OptionStatus kWarn = OptionStatus::kWarning;
constexpr OptionStatus kErr = OptionStatus::kError;

constexpr std::string_view kNotYet = "is not supported yet; ignored";
constexpr std::string_view kDnssecOff = "is not supported yet; DNSSEC validation is off";
constexpr std::string_view kNoEdns = "is not supported yet; no EDNS0 option is added upstream";
constexpr std::string_view kNoAuth = "is not supported yet; authoritative mode is off";
constexpr std::string_view kNoOs = "is not supported; no such OS integration in nfv-dnsvizor";

// The columns: name, short, argument, repetition, group, status, syntax, summary, note.
// Argument kinds and repetition rules follow dnsmasq 2.90's own option list.
constexpr std::array kOptions = std::to_array<OptionSpec>({
    {"version", 'v', kNo, kFlag, kProc, kRead, "", "Print the version and exit.", ""},
    {"no-hosts", 'h', kNo, kFlag, kLocal, kMap, "", "Do not read /etc/hosts.", ""},
    {"no-poll", 'n', kNo, kFlag, kUp, kWarn, "", "Do not poll resolv-file for changes.", kNotYet},
    {"help", 'w', kNo, kFlag, kProc, kRead, "", "Print this help and exit.", ""},
    {"no-daemon", 'd', kNo, kFlag, kProc, kMap, "", "Stay in the foreground, debug mode.", ""},
    {"log-queries", 'q', kOpt, kMany, kCache, kMap, "[=extra]", "Log DNS queries.", ""},
    {"user", 'u', kOpt, kOnce, kProc, kMap, "<user>", "Drop privileges to this user.", ""},
    {"group", 'g', kOpt, kOnce, kProc, kMap, "<group>", "Drop privileges to this group.", ""},
    {"resolv-file", 'r', kOpt, kMany, kUp, kMap, "<path>", "Read upstream servers from this file.",
     ""},
    {"servers-file", '\0', kReq, kOnce, kUp, kRead, "<path>",
     "Read server= and rev-server= lines from a file.", ""},
    {"mx-host", 'm', kReq, kMany, kLocal, kMap, "<name>[,<target>[,<pref>]]", "Add an MX record.",
     ""},
    {"mx-target", 't', kReq, kOnce, kLocal, kMap, "<name>", "Default target of MX records.", ""},
    {"cache-size", 'c', kOpt, kOnce, kCache, kMap, "<integer>", "Cache size in names (150).", ""},
    {"port", 'p', kReq, kOnce, kProc, kMap, "<port>", "DNS port (53); 0 disables DNS.", ""},
    {"dhcp-leasefile", 'l', kOpt, kOnce, kDhcpG, kDhcp, "<path>", "DHCP lease file.", ""},
    {"dhcp-lease", 'l', kReq, kOnce, kDhcpG, kDhcp, "<path>", "Old name of dhcp-leasefile.", ""},
    {"dhcp-host", 'G', kReq, kMany, kDhcpG, kDhcp, "<hostspec>", "Static DHCP host.", ""},
    {"dhcp-range", 'F', kReq, kMany, kDhcpG, kDhcp, "<start>,<end>,...", "DHCP address range.", ""},
    {"dhcp-option", 'O', kReq, kMany, kDhcpG, kDhcp, "<optspec>", "DHCP option to send.", ""},
    {"dhcp-boot", 'M', kReq, kMany, kDhcpG, kDhcp, "<file>[,<server>]", "BOOTP boot file.", ""},
    {"domain", 's', kReq, kMany, kDhcpG, kDhcp, "<domain>[,<range>[,local]]",
     "Local domain (DNS and DHCP).", ""},
    {"domain-suffix", 's', kReq, kMany, kDhcpG, kDhcp, "<domain>[,<range>[,local]]",
     "Old name of domain.", ""},
    {"interface", 'i', kReq, kMany, kProc, kMap, "<interface>", "Listen on this interface.", ""},
    {"listen-address", 'a', kReq, kMany, kProc, kMap, "<ip>[,<ip>...]",
     "Listen on these addresses.", ""},
    {"local-service", '\0', kOpt, kOnce, kProc, kMap, "[=net|host]",
     "Answer only directly connected networks.", ""},
    {"bogus-priv", 'b', kNo, kFlag, kUp, kMap, "", "NXDOMAIN for private reverse lookups.", ""},
    {"bogus-nxdomain", 'B', kReq, kMany, kUp, kWarn, "<ip>[/<len>]",
     "Treat this upstream address as NXDOMAIN.", kNotYet},
    {"ignore-address", '\0', kReq, kMany, kUp, kWarn, "<ip>[/<len>]",
     "Ignore upstream answers with this address.", kNotYet},
    {"selfmx", 'e', kNo, kFlag, kLocal, kMap, "", "MX records pointing at each local host.", ""},
    {"filterwin2k", 'f', kNo, kFlag, kUp, kWarn, "", "Drop Windows' spurious queries.", kNotYet},
    {"filter-A", '\0', kNo, kFlag, kCache, kWarn, "", "Remove A records from answers.", kNotYet},
    {"filter-AAAA", '\0', kNo, kFlag, kCache, kWarn, "", "Remove AAAA records from answers.",
     kNotYet},
    {"filter-rr", '\0', kReq, kMany, kCache, kWarn, "<type>[,<type>...]",
     "Remove these record types from answers.", kNotYet},
    {"pid-file", 'x', kOpt, kOnce, kProc, kMap, "<path>", "PID file (/var/run/dnsmasq.pid).", ""},
    {"strict-order", 'o', kNo, kFlag, kUp, kMap, "", "Try upstream servers in order.", ""},
    {"server", 'S', kReq, kMany, kUp, kMap, "[/<domain>/]<ip>[#<port>][@<source>]",
     "Upstream server, optionally per domain.", ""},
    {"rev-server", '\0', kReq, kMany, kUp, kMap, "<cidr>,<ip>[#<port>]",
     "Upstream server for a reverse zone.", ""},
    {"local", '\0', kReq, kMany, kUp, kMap, "/<domain>/[<ip>]", "Answer these domains locally.",
     ""},
    {"address", 'A', kReq, kMany, kLocal, kMap, "/<domain>/[<ip>|#]",
     "Fixed address (or NXDOMAIN) for domains.", ""},
    {"conf-file", 'C', kOpt, kMany, kProc, kRead, "<path>", "Read this config file.", ""},
    {"conf-script", '\0', kReq, kMany, kProc, kErr, "<path>", "Run a program that prints config.",
     "is not supported: nfv-dnsvizor does not run programs to read its configuration"},
    {"no-resolv", 'R', kNo, kFlag, kUp, kMap, "", "Do not read resolv-file.", ""},
    {"expand-hosts", 'E', kNo, kFlag, kLocal, kMap, "", "Add the domain to plain hosts names.", ""},
    {"localmx", 'L', kNo, kFlag, kLocal, kMap, "", "MX records for local hosts.", ""},
    {"local-ttl", 'T', kReq, kOnce, kLocal, kMap, "<seconds>", "TTL of local answers (0).", ""},
    {"no-negcache", 'N', kNo, kFlag, kCache, kMap, "", "Do not cache negative answers.", ""},
    {"no-round-robin", '\0', kNo, kFlag, kCache, kMap, "", "Keep record order in answers.", ""},
    {"cache-rr", '\0', kReq, kMany, kCache, kWarn, "<type>[,<type>...]",
     "Also cache these record types.", kNotYet},
    {"addn-hosts", 'H', kReq, kMany, kLocal, kMap, "<path>", "Extra hosts file or directory.", ""},
    {"hostsdir", '\0', kReq, kMany, kLocal, kMap, "<dir>", "Directory of hosts files.", ""},
    {"query-port", 'Q', kReq, kOnce, kUp, kWarn, "<port>", "Fixed source port upstream.", kNotYet},
    {"except-interface", 'I', kReq, kMany, kProc, kMap, "<interface>",
     "Never listen on this interface.", ""},
    {"no-dhcp-interface", '2', kReq, kMany, kDhcpG, kDhcp, "<interface>", "DNS only on this IF.",
     ""},
    {"no-dhcpv4-interface", '\0', kReq, kMany, kDhcpG, kDhcp, "<interface>",
     "No DHCPv4 on this interface.", ""},
    {"no-dhcpv6-interface", '\0', kReq, kMany, kDhcpG, kDhcp, "<interface>",
     "No DHCPv6 on this interface.", ""},
    {"domain-needed", 'D', kNo, kFlag, kUp, kMap, "", "Never forward names without a dot.", ""},
    {"dhcp-lease-max", 'X', kReq, kOnce, kDhcpG, kDhcp, "<integer>", "Maximum DHCP leases.", ""},
    {"bind-interfaces", 'z', kNo, kFlag, kProc, kMap, "", "Bind only the listening addresses.", ""},
    {"read-ethers", 'Z', kNo, kFlag, kDhcpG, kDhcp, "", "Read static hosts from /etc/ethers.", ""},
    {"alias", 'V', kReq, kMany, kUp, kWarn, "<old>,<new>[,<mask>]",
     "Rewrite addresses in upstream answers.", kNotYet},
    {"dhcp-vendorclass", 'U', kReq, kMany, kDhcpG, kDhcp, "set:<tag>,<class>",
     "Tag by vendor class.", ""},
    {"dhcp-userclass", 'j', kReq, kMany, kDhcpG, kDhcp, "set:<tag>,<class>", "Tag by user class.",
     ""},
    {"dhcp-ignore", 'J', kReq, kMany, kDhcpG, kDhcp, "tag:<tag>...", "No DHCP for these tags.", ""},
    {"edns-packet-max", 'P', kReq, kOnce, kCache, kMap, "<bytes>", "EDNS0 UDP size (1232).", ""},
    {"keep-in-foreground", 'k', kNo, kFlag, kProc, kMap, "", "Do not fork into the background.",
     ""},
    {"dhcp-authoritative", 'K', kNo, kFlag, kDhcpG, kDhcp, "", "Only DHCP server on the network.",
     ""},
    {"srv-host", 'W', kReq, kMany, kLocal, kMap, "<name>[,<target>[,<port>[,<prio>[,<weight>]]]]",
     "Add an SRV record.", ""},
    {"localise-queries", 'y', kNo, kFlag, kLocal, kWarn, "",
     "Prefer hosts addresses on the query's interface.", kNotYet},
    {"txt-record", 'Y', kReq, kMany, kLocal, kMap, "<name>[,<text>...]", "Add a TXT record.", ""},
    {"caa-record", '\0', kReq, kMany, kLocal, kMap, "<name>,<flags>,<tag>,<value>",
     "Add a CAA record.", ""},
    {"dns-rr", '\0', kReq, kMany, kLocal, kMap, "<name>,<type>[,<hex>]", "Add a raw record.", ""},
    {"enable-dbus", '1', kOpt, kOnce, kOther, kWarn, "[=<busname>]", "D-Bus control interface.",
     kNoOs},
    {"enable-ubus", '\0', kOpt, kOnce, kOther, kWarn, "[=<busname>]", "ubus control interface.",
     kNoOs},
    {"bootp-dynamic", '3', kOpt, kMany, kDhcpG, kDhcp, "[=tag:<tag>...]", "Dynamic BOOTP.", ""},
    {"dhcp-mac", '4', kReq, kMany, kDhcpG, kDhcp, "set:<tag>,<mac>", "Tag by MAC address.", ""},
    {"no-ping", '5', kNo, kFlag, kDhcpG, kDhcp, "", "No ICMP check before offering.", ""},
    {"dhcp-script", '6', kReq, kOnce, kDhcpG, kDhcp, "<path>", "Run on lease changes.", ""},
    {"conf-dir", '7', kReq, kMany, kProc, kRead, "<dir>[,<ext>|*<ext>...]",
     "Read the files of a directory.", ""},
    {"log-facility", '8', kReq, kOnce, kCache, kMap, "<facility>|<file>|-",
     "Where to log (syslog DAEMON).", ""},
    {"leasefile-ro", '9', kNo, kFlag, kDhcpG, kDhcp, "", "Do not write the lease file.", ""},
    {"script-on-renewal", '\0', kNo, kFlag, kDhcpG, kDhcp, "", "Run dhcp-script on renewal.", ""},
    {"dns-forward-max", '0', kReq, kOnce, kUp, kMap, "<integer>", "Concurrent queries (150).", ""},
    {"clear-on-reload", '\0', kNo, kFlag, kCache, kWarn, "", "Clear the cache on reload.", kNotYet},
    {"dhcp-ignore-names", '\0', kOpt, kMany, kDhcpG, kDhcp, "[=tag:<tag>...]",
     "Ignore client host names.", ""},
    {"enable-tftp", '\0', kOpt, kMany, kDhcpG, kDhcp, "[=<interface>...]", "TFTP server.", ""},
    {"tftp-secure", '\0', kNo, kFlag, kDhcpG, kDhcp, "", "TFTP: only our own files.", ""},
    {"tftp-no-fail", '\0', kNo, kFlag, kDhcpG, kDhcp, "", "TFTP: start without its root.", ""},
    {"tftp-unique-root", '\0', kOpt, kMany, kDhcpG, kDhcp, "[=ip|mac]", "TFTP: per-client root.",
     ""},
    {"tftp-root", '\0', kReq, kMany, kDhcpG, kDhcp, "<dir>[,<interface>]", "TFTP root.", ""},
    {"tftp-max", '\0', kReq, kOnce, kDhcpG, kDhcp, "<integer>", "TFTP: max transfers.", ""},
    {"tftp-mtu", '\0', kReq, kOnce, kDhcpG, kDhcp, "<integer>", "TFTP: MTU.", ""},
    {"tftp-lowercase", '\0', kNo, kFlag, kDhcpG, kDhcp, "", "TFTP: lower-case file names.", ""},
    {"tftp-single-port", '\0', kNo, kFlag, kDhcpG, kDhcp, "", "TFTP: only port 69.", ""},
    {"ptr-record", '\0', kReq, kMany, kLocal, kMap, "<name>[,<target>]", "Add a PTR record.", ""},
    {"naptr-record", '\0', kReq, kMany, kLocal, kMap,
     "<name>,<order>,<pref>,<flags>,<service>,<regexp>[,<replacement>]", "Add a NAPTR record.", ""},
    {"bridge-interface", '\0', kReq, kMany, kDhcpG, kDhcp, "<interface>,<alias>...",
     "DHCP on aliases as on the interface.", ""},
    {"shared-network", '\0', kReq, kMany, kDhcpG, kDhcp, "<interface>|<addr>,<addr>",
     "Extra DHCP networks on one link.", ""},
    {"dhcp-option-force", '\0', kReq, kMany, kDhcpG, kDhcp, "<optspec>",
     "DHCP option sent unrequested.", ""},
    {"tftp-no-blocksize", '\0', kNo, kFlag, kDhcpG, kDhcp, "", "TFTP: no blocksize option.", ""},
    {"log-dhcp", '\0', kNo, kFlag, kDhcpG, kDhcp, "", "Extra DHCP logging.", ""},
    {"log-async", '\0', kOpt, kOnce, kCache, kMap, "[=<integer>]", "Asynchronous logging.", ""},
    {"dhcp-circuitid", '\0', kReq, kMany, kDhcpG, kDhcp, "set:<tag>,<id>", "Tag by circuit-id.",
     ""},
    {"dhcp-remoteid", '\0', kReq, kMany, kDhcpG, kDhcp, "set:<tag>,<id>", "Tag by remote-id.", ""},
    {"dhcp-subscrid", '\0', kReq, kMany, kDhcpG, kDhcp, "set:<tag>,<id>", "Tag by subscriber-id.",
     ""},
    {"dhcp-pxe-vendor", '\0', kReq, kMany, kDhcpG, kDhcp, "<vendor>[,...]", "PXE vendor classes.",
     ""},
    {"interface-name", '\0', kReq, kMany, kLocal, kMap, "<name>,<interface>[/4|/6]",
     "Name for an interface's addresses.", ""},
    {"dhcp-hostsfile", '\0', kReq, kMany, kDhcpG, kDhcp, "<path>", "dhcp-host lines from a file.",
     ""},
    {"dhcp-optsfile", '\0', kReq, kMany, kDhcpG, kDhcp, "<path>", "dhcp-option lines from a file.",
     ""},
    {"dhcp-hostsdir", '\0', kReq, kMany, kDhcpG, kDhcp, "<dir>", "dhcp-host files in a directory.",
     ""},
    {"dhcp-optsdir", '\0', kReq, kMany, kDhcpG, kDhcp, "<dir>", "dhcp-option files in a directory.",
     ""},
    {"dhcp-no-override", '\0', kNo, kFlag, kDhcpG, kDhcp, "", "Keep file/sname fields.", ""},
    {"tftp-port-range", '\0', kReq, kOnce, kDhcpG, kDhcp, "<start>,<end>", "TFTP: port range.", ""},
    {"stop-dns-rebind", '\0', kNo, kFlag, kUp, kMap, "", "Drop private addresses from upstream.",
     ""},
    {"rebind-domain-ok", '\0', kReq, kMany, kUp, kMap, "[/]<domain>[/<domain>...]/",
     "Domains exempt from rebind protection.", ""},
    {"all-servers", '\0', kNo, kFlag, kUp, kMap, "", "Query all upstream servers.", ""},
    {"dhcp-match", '\0', kReq, kMany, kDhcpG, kDhcp, "set:<tag>,<optspec>",
     "Tag by a client option.", ""},
    {"dhcp-name-match", '\0', kReq, kMany, kDhcpG, kDhcp, "set:<tag>,<name>[*]",
     "Tag by client name.", ""},
    {"dhcp-broadcast", '\0', kOpt, kMany, kDhcpG, kDhcp, "[=tag:<tag>...]",
     "Broadcast DHCP replies.", ""},
    {"neg-ttl", '\0', kReq, kOnce, kLocal, kMap, "<seconds>", "TTL for negative answers.", ""},
    {"max-ttl", '\0', kReq, kOnce, kLocal, kMap, "<seconds>", "Maximum TTL sent to clients.", ""},
    {"min-cache-ttl", '\0', kReq, kOnce, kCache, kMap, "<seconds>", "TTL floor in the cache.", ""},
    {"max-cache-ttl", '\0', kReq, kOnce, kCache, kMap, "<seconds>", "TTL ceiling in the cache.",
     ""},
    {"dhcp-alternate-port", '\0', kOpt, kOnce, kDhcpG, kDhcp, "[=<server>[,<client>]]",
     "Non-standard DHCP ports.", ""},
    {"dhcp-scriptuser", '\0', kReq, kOnce, kDhcpG, kDhcp, "<user>", "User for dhcp-script.", ""},
    {"min-port", '\0', kReq, kOnce, kUp, kWarn, "<port>", "Lowest upstream source port.", kNotYet},
    {"max-port", '\0', kReq, kOnce, kUp, kWarn, "<port>", "Highest upstream source port.", kNotYet},
    {"dhcp-fqdn", '\0', kNo, kFlag, kDhcpG, kDhcp, "", "DHCP names only qualified.", ""},
    {"cname", '\0', kReq, kMany, kLocal, kMap, "<alias>[,<alias>...],<target>[,<ttl>]",
     "Add a CNAME for a local name.", ""},
    {"pxe-prompt", '\0', kReq, kMany, kDhcpG, kDhcp, "<prompt>[,<timeout>]", "PXE prompt.", ""},
    {"pxe-service", '\0', kReq, kMany, kDhcpG, kDhcp, "<service>", "PXE boot service.", ""},
    {"test", '\0', kNo, kFlag, kProc, kRead, "", "Check the configuration and exit.", ""},
    {"tag-if", '\0', kReq, kMany, kDhcpG, kDhcp, "set:<tag>,tag:<tag>...", "Conditional tags.", ""},
    {"dhcp-proxy", '\0', kOpt, kMany, kDhcpG, kDhcp, "[=<ip>...]", "Relays used as proxies.", ""},
    {"dhcp-generate-names", '\0', kOpt, kMany, kDhcpG, kDhcp, "[=tag:<tag>...]",
     "Names from MAC addresses.", ""},
    {"rebind-localhost-ok", '\0', kNo, kFlag, kUp, kMap, "", "Allow 127.0.0.0/8 answers.", ""},
    {"add-mac", '\0', kOpt, kMany, kUp, kWarn, "[=base64|text]", "Add the client MAC upstream.",
     kNoEdns},
    {"strip-mac", '\0', kNo, kFlag, kUp, kWarn, "", "Remove client MACs from queries.", kNoEdns},
    {"add-subnet", '\0', kOpt, kOnce, kUp, kWarn, "[=<v4len>[,<v6len>]]",
     "Add EDNS client subnet upstream.", kNoEdns},
    {"strip-subnet", '\0', kNo, kFlag, kUp, kWarn, "", "Remove client subnets from queries.",
     kNoEdns},
    {"add-cpe-id", '\0', kReq, kOnce, kUp, kWarn, "<text>", "Add a CPE id upstream.", kNoEdns},
    {"proxy-dnssec", '\0', kNo, kFlag, kCache, kWarn, "", "Copy the AD bit from upstream.",
     kNotYet},
    {"dhcp-sequential-ip", '\0', kNo, kFlag, kDhcpG, kDhcp, "", "Allocate addresses in order.", ""},
    {"dhcp-ignore-clid", '\0', kNo, kFlag, kDhcpG, kDhcp, "", "Ignore client identifiers.", ""},
    {"conntrack", '\0', kNo, kFlag, kOther, kWarn, "", "Copy conntrack marks upstream.", kNoOs},
    {"dhcp-client-update", '\0', kNo, kFlag, kDhcpG, kDhcp, "", "Clients update DNS themselves.",
     ""},
    {"dhcp-luascript", '\0', kReq, kMany, kDhcpG, kDhcp, "<path>", "Lua lease script.", ""},
    {"enable-ra", '\0', kNo, kFlag, kDhcpG, kDhcp, "", "Send router advertisements.", ""},
    {"dhcp-duid", '\0', kReq, kOnce, kDhcpG, kDhcp, "<enterprise>,<duid>", "DHCPv6 server DUID.",
     ""},
    {"host-record", '\0', kReq, kMany, kLocal, kMap, "<name>[,<name>...],[<v4>],[<v6>][,<ttl>]",
     "Add A/AAAA and PTR records.", ""},
    {"bind-dynamic", '\0', kNo, kFlag, kProc, kMap, "", "Bind addresses as they appear.", ""},
    {"auth-zone", '\0', kReq, kMany, kAuth, kWarn, "<domain>[,<subnet>...]", "Authoritative zone.",
     kNoAuth},
    {"auth-server", '\0', kReq, kOnce, kAuth, kWarn, "<name>[,<interface>]",
     "Authoritative server name.", kNoAuth},
    {"auth-ttl", '\0', kReq, kOnce, kAuth, kWarn, "<seconds>", "Authoritative TTL.", kNoAuth},
    {"auth-soa", '\0', kReq, kOnce, kAuth, kWarn, "<serial>[,...]", "Authoritative SOA.", kNoAuth},
    {"auth-sec-servers", '\0', kReq, kMany, kAuth, kWarn, "<name>[,...]",
     "Secondary authoritative servers.", kNoAuth},
    {"auth-peer", '\0', kReq, kMany, kAuth, kWarn, "<ip>[,...]", "Zone transfer peers.", kNoAuth},
    {"ipset", '\0', kReq, kMany, kOther, kWarn, "/<domain>/<set>[,...]", "Add answers to ipsets.",
     kNoOs},
    {"nftset", '\0', kReq, kMany, kOther, kWarn, "/<domain>/<set>[,...]",
     "Add answers to nftables sets.", kNoOs},
    {"connmark-allowlist-enable", '\0', kOpt, kOnce, kOther, kWarn, "[=<mask>]",
     "Filter queries by conntrack mark.", kNoOs},
    {"connmark-allowlist", '\0', kReq, kMany, kOther, kWarn, "<mark>[/<mask>][,<pattern>...]",
     "Allowed names per conntrack mark.", kNoOs},
    {"synth-domain", '\0', kReq, kMany, kLocal, kMap, "<domain>,<range>[,<prefix>]",
     "Names synthesised from addresses.", ""},
    {"dnssec", '\0', kNo, kFlag, kCache, kWarn, "", "Validate DNSSEC.", kDnssecOff},
    {"trust-anchor", '\0', kReq, kMany, kCache, kWarn, "<domain>,<keytag>,<alg>,<type>,<digest>",
     "DNSSEC trust anchor.", kDnssecOff},
    {"dnssec-debug", '\0', kNo, kFlag, kCache, kWarn, "", "DNSSEC debugging.", kDnssecOff},
    {"dnssec-check-unsigned", '\0', kOpt, kMany, kCache, kWarn, "[=no]", "Check unsigned answers.",
     kDnssecOff},
    {"dnssec-no-timecheck", '\0', kNo, kFlag, kCache, kWarn, "", "Skip signature time checks.",
     kDnssecOff},
    {"dnssec-timestamp", '\0', kReq, kOnce, kCache, kWarn, "<path>", "DNSSEC clock timestamp.",
     kDnssecOff},
    {"dnssec-limits", '\0', kReq, kOnce, kCache, kWarn, "<limit>[,...]", "DNSSEC work limits.",
     kDnssecOff},
    {"dhcp-relay", '\0', kReq, kMany, kDhcpG, kDhcp, "<local>,<server>[,<interface>]",
     "Relay DHCP to a server.", ""},
    {"ra-param", '\0', kReq, kMany, kDhcpG, kDhcp, "<interface>,[...]", "RA parameters.", ""},
    {"quiet-dhcp", '\0', kNo, kFlag, kDhcpG, kDhcp, "", "Do not log routine DHCP.", ""},
    {"quiet-dhcp6", '\0', kNo, kFlag, kDhcpG, kDhcp, "", "Do not log routine DHCPv6.", ""},
    {"quiet-ra", '\0', kNo, kFlag, kDhcpG, kDhcp, "", "Do not log RA.", ""},
    {"dns-loop-detect", '\0', kNo, kFlag, kUp, kWarn, "", "Detect forwarding loops.", kNotYet},
    {"script-arp", '\0', kNo, kFlag, kDhcpG, kDhcp, "", "Run dhcp-script on ARP changes.", ""},
    {"dhcp-ttl", '\0', kReq, kOnce, kLocal, kMap, "<seconds>", "TTL of DHCP names.", ""},
    {"dhcp-reply-delay", '\0', kReq, kOnce, kDhcpG, kDhcp, "[tag:<tag>,]<seconds>",
     "Delay DHCP replies.", ""},
    {"dhcp-rapid-commit", '\0', kNo, kFlag, kDhcpG, kDhcp, "", "DHCPv4 rapid commit.", ""},
    {"dumpfile", '\0', kReq, kOnce, kOther, kWarn, "<path>", "Packet dump file.", kNotYet},
    {"dumpmask", '\0', kReq, kOnce, kOther, kWarn, "<hex>", "Packets to dump.", kNotYet},
    {"dynamic-host", '\0', kReq, kMany, kLocal, kWarn, "<name>,[<v4>][,<v6>],<interface>",
     "Host record inside an interface's subnet.", kNotYet},
    {"log-debug", '\0', kNo, kFlag, kCache, kMap, "", "Log debugging information.", ""},
    {"umbrella", '\0', kOpt, kOnce, kUp, kWarn, "[=<optspec>]", "Cisco Umbrella identifiers.",
     kNoEdns},
    {"quiet-tftp", '\0', kNo, kFlag, kDhcpG, kDhcp, "", "Do not log routine TFTP.", ""},
    {"port-limit", '\0', kReq, kOnce, kUp, kWarn, "<ports>", "Source ports per query.", kNotYet},
    {"fast-dns-retry", '\0', kOpt, kOnce, kUp, kWarn, "[=<ms>[,<ms>]]", "Retry upstream sooner.",
     kNotYet},
    {"use-stale-cache", '\0', kOpt, kOnce, kCache, kWarn, "[=<seconds>]",
     "Answer from expired cache entries.", kNotYet},
    {"no-ident", '\0', kNo, kFlag, kCache, kMap, "", "No CHAOS TXT version.bind etc.", ""},
    {"max-tcp-connections", '\0', kReq, kOnce, kProc, kMap, "<integer>",
     "Concurrent TCP connections (20).", ""},
    // nfv-dnsvizor's own, command line only.
    {"print-config", '\0', kNo, kFlag, kProc, kRead, "",
     "Print the typed settings as JSON and exit.", ""},
});

}  // namespace

std::span<const OptionSpec> all_options() {
    return kOptions;
}

const OptionSpec* find_option(std::string_view long_name) {
    for (const auto& spec : kOptions) {
        if (spec.name == long_name) {
            return &spec;
        }
    }
    return nullptr;
}

const OptionSpec* find_short_option(char short_name) {
    if (short_name == '\0') {
        return nullptr;
    }
    for (const auto& spec : kOptions) {
        if (spec.short_name == short_name) {
            return &spec;  // the first of two spellings (dhcp-leasefile before dhcp-lease)
        }
    }
    return nullptr;
}

std::string_view to_string(OptionStatus status) {
    switch (status) {
        case OptionStatus::kMapped:
            return "mapped";
        case OptionStatus::kDhcp:
            return "dhcp";
        case OptionStatus::kReader:
            return "reader";
        case OptionStatus::kWarning:
            return "warning";
        case OptionStatus::kError:
            return "error";
    }
    return "error";
}

std::string_view to_string(OptionGroup group) {
    switch (group) {
        case OptionGroup::kProcess:
            return "process";
        case OptionGroup::kUpstream:
            return "upstream";
        case OptionGroup::kLocal:
            return "local";
        case OptionGroup::kCache:
            return "cache";
        case OptionGroup::kDhcp:
            return "dhcp";
        case OptionGroup::kAuth:
            return "auth";
        case OptionGroup::kOther:
            return "other";
    }
    return "other";
}

std::string help_text() {
    std::string text =
        "Usage: nfv-dnsvizor [options]\n\n"
        "Reads dnsmasq 2.90 options from the command line and config files.\n\n"
        "Valid options are:\n";
    constexpr std::size_t kColumn = 56;
    for (const auto& spec : kOptions) {
        std::string left = spec.short_name != '\0' ? std::string("-") + spec.short_name + ", "
                                                   : std::string("    ");
        left += "--";
        left += spec.name;
        if (!spec.syntax.empty()) {
            if (spec.syntax.substr(0, 2) != "[=") {
                left += '=';
            }
            left += spec.syntax;
        }
        text += left;
        text.append(left.size() < kColumn ? kColumn - left.size() : 1, ' ');
        text += spec.summary;
        if (spec.status == OptionStatus::kWarning) {
            text += " (accepted, not supported yet)";
        } else if (spec.status == OptionStatus::kError) {
            text += " (not supported: rejected)";
        }
        text += '\n';
    }
    return text;
}

}  // namespace nfv::dnsvizor::config
