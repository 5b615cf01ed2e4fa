#include "mtls_plugin.hpp"

#include "cert_init.hpp"

namespace mcpproxy::mtls {
namespace {

std::vector<MappingRule> rules_from(sdk::Host& host) {
    return parse_mtls_config(host.config_json()).rules;
}

}  // namespace

MtlsPlugin::MtlsPlugin(sdk::Host& host) : rule_count_(0), authenticator_(rules_from(host)) {
    rule_count_ = authenticator_.credential_names(SIZE_MAX).size();
    host.register_command(cert_init_command());
}

std::string MtlsPlugin::health_detail() const {
    return std::to_string(rule_count_) + " certificate rule(s)";
}

}  // namespace mcpproxy::mtls
