#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "certificate_facts.hpp"
#include "scope_rule.hpp"

namespace mcpproxy::mtls {

enum class MatchField { subject_cn, san_dns, san_uri, san_email, spiffe_id, fingerprint_sha256 };

// One rule of the plugin's config: exactly one field to match, and the identity it gives.
struct MappingRule {
    std::string name;  // the identity's name
    MatchField field = MatchField::subject_cn;
    std::string value;  // exact match (fingerprints normalised to lower-case hex)
    auth_common::Scope scope;
};

struct MtlsConfig {
    std::vector<MappingRule> rules;
};

// Parses the plugin's config JSON text; throws std::invalid_argument naming the rule and key.
[[nodiscard]] MtlsConfig parse_mtls_config(std::string_view json_text);

// The first rule (in config order) the certificate matches.
[[nodiscard]] const MappingRule* find_rule(const std::vector<MappingRule>& rules,
                                           const CertificateFacts& facts);

[[nodiscard]] std::string_view field_name(MatchField field);

}  // namespace mcpproxy::mtls
