#include "mapping_rules.hpp"

#include <array>
#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>

#include "constant_time.hpp"

namespace mcpproxy::mtls {
namespace {

constexpr std::array kFields{MatchField::subject_cn, MatchField::san_dns,
                             MatchField::san_uri,    MatchField::san_email,
                             MatchField::spiffe_id,  MatchField::fingerprint_sha256};

bool any_equal(const std::vector<std::string>& values, const std::string& wanted) {
    for (const auto& v : values) {
        if (v == wanted) return true;
    }
    return false;
}

MappingRule parse_rule(const nlohmann::json& j, const std::string& where) {
    if (!j.is_object()) throw std::invalid_argument(where + ": expected an object");
    std::vector<std::string> known{"name"};
    for (auto f : kFields) known.emplace_back(field_name(f));
    for (const auto& k : auth_common::scope_keys()) known.push_back(k);
    auth_common::reject_unknown_keys(j, known, where);
    MappingRule rule;
    if (!j.contains("name") || !j["name"].is_string() || j["name"].get<std::string>().empty()) {
        throw std::invalid_argument(
            where + ".name: missing (the identity's name in logs and the activity log)");
    }
    rule.name = j["name"].get<std::string>();
    static const std::regex name_pattern("^[A-Za-z0-9][A-Za-z0-9_.@:-]{0,63}$");
    if (!std::regex_match(rule.name, name_pattern)) {
        throw std::invalid_argument(where +
                                    ".name: use letters, digits and _ . @ : - (at most 64)");
    }
    int matchers = 0;
    for (auto f : kFields) {
        const std::string key(field_name(f));
        if (!j.contains(key)) continue;
        ++matchers;
        if (!j[key].is_string() || j[key].get<std::string>().empty()) {
            throw std::invalid_argument(where + "." + key + ": expected a non-empty string");
        }
        rule.field = f;
        rule.value = j[key].get<std::string>();
        if (f == MatchField::fingerprint_sha256) {
            rule.value = normalize_fingerprint(rule.value);
            if (rule.value.empty()) {
                throw std::invalid_argument(where + "." + key +
                                            ": expected 64 hex digits (colons allowed)");
            }
        }
        if (f == MatchField::spiffe_id && !rule.value.starts_with("spiffe://")) {
            throw std::invalid_argument(where + "." + key +
                                        ": expected spiffe://trust-domain/path");
        }
    }
    if (matchers != 1) {
        throw std::invalid_argument(where +
                                    ": give exactly one of subject_cn, san_dns, san_uri, "
                                    "san_email, spiffe_id, fingerprint_sha256");
    }
    rule.scope = auth_common::parse_scope(j, where);
    return rule;
}

}  // namespace

std::string_view field_name(MatchField field) {
    switch (field) {
        case MatchField::subject_cn:
            return "subject_cn";
        case MatchField::san_dns:
            return "san_dns";
        case MatchField::san_uri:
            return "san_uri";
        case MatchField::san_email:
            return "san_email";
        case MatchField::spiffe_id:
            return "spiffe_id";
        case MatchField::fingerprint_sha256:
            return "fingerprint_sha256";
    }
    return "?";
}

MtlsConfig parse_mtls_config(std::string_view json_text) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(json_text.empty() ? std::string_view("{}") : json_text);
    } catch (const nlohmann::json::exception&) {
        throw std::invalid_argument("config: not valid JSON");
    }
    if (!j.is_object()) throw std::invalid_argument("config: expected an object");
    auth_common::reject_unknown_keys(j, {"rules"}, "config");
    MtlsConfig config;
    if (!j.contains("rules")) return config;
    if (!j["rules"].is_array())
        throw std::invalid_argument("config.rules: expected a list of rules");
    for (std::size_t i = 0; i < j["rules"].size(); ++i) {
        config.rules.push_back(
            parse_rule(j["rules"][i], "config.rules[" + std::to_string(i) + "]"));
    }
    return config;
}

const MappingRule* find_rule(const std::vector<MappingRule>& rules, const CertificateFacts& facts) {
    for (const auto& rule : rules) {
        bool hit = false;
        switch (rule.field) {
            case MatchField::subject_cn:
                hit = !facts.subject_cn.empty() && facts.subject_cn == rule.value;
                break;
            case MatchField::san_dns:
                hit = any_equal(facts.san_dns, rule.value);
                break;
            case MatchField::san_uri:
                hit = any_equal(facts.san_uri, rule.value);
                break;
            case MatchField::san_email:
                hit = any_equal(facts.san_email, rule.value);
                break;
            case MatchField::spiffe_id:
                hit = facts.spiffe_id == rule.value;
                break;
            case MatchField::fingerprint_sha256:
                hit = auth_common::equal_constant_time(facts.fingerprint_sha256, rule.value);
                break;
        }
        if (hit) return &rule;
    }
    return nullptr;
}

}  // namespace mcpproxy::mtls
