#include "token_service.hpp"

#include <openssl/crypto.h>

#include "store_key.hpp"
#include "time_format.hpp"
#include "token_format.hpp"
#include "token_name.hpp"

namespace mcpproxy::agent_token {
namespace {

[[noreturn]] void not_found(std::string_view name) {
    throw TokenNotFound("no token named '" + std::string(name) + "'");
}

}  // namespace

TokenService::TokenService(std::filesystem::path data_dir, Clock clock,
                           std::chrono::milliseconds busy_timeout)
    : data_dir_(std::move(data_dir)), clock_(std::move(clock)), store_(data_dir_, busy_timeout) {}

TokenService::~TokenService() = default;

Seconds TokenService::now() const {
    return std::chrono::floor<std::chrono::seconds>(clock_());
}

const TokenHasher& TokenService::hasher() {
    if (!hasher_) hasher_ = open_store_key(data_dir_, store_);
    return *hasher_;
}

IssuedToken TokenService::create(const CreateOptions& options) {
    validate_token_name(options.name);
    if (options.lifetime > kMaxLifetime) throw std::invalid_argument("expiry: at most 365d");
    if (options.allowed_servers.empty())
        throw std::invalid_argument("no servers given: use * or a list");
    const auto& h = hasher();
    IssuedToken issued;
    issued.secret = generate_token();
    NewToken row;
    row.name = options.name;
    row.hash = h.hash(issued.secret);
    row.allowed_servers = options.allowed_servers;
    row.permission = options.permission;
    row.limits = options.limits;
    row.created_at = now();
    row.expires_at = row.created_at + options.lifetime;
    try {
        issued.record = store_.insert(row);
    } catch (...) {
        OPENSSL_cleanse(issued.secret.data(), issued.secret.size());
        throw;
    }
    return issued;
}

std::vector<TokenRecord> TokenService::list() {
    return store_.list();
}

TokenRecord TokenService::show(std::string_view name) {
    validate_token_name(name);
    auto record = store_.find(name);
    if (!record) not_found(name);
    return *record;
}

bool TokenService::revoke(std::string_view name) {
    validate_token_name(name);
    switch (store_.revoke(name, now())) {
        case RevokeOutcome::revoked:
            return true;
        case RevokeOutcome::already_revoked:
            return false;
        case RevokeOutcome::not_found:
            break;
    }
    not_found(name);
}

void TokenService::remove(std::string_view name) {
    validate_token_name(name);
    if (!store_.remove(name, now())) not_found(name);
}

IssuedToken TokenService::regenerate(std::string_view name, std::chrono::seconds grace,
                                     std::optional<std::chrono::seconds> lifetime) {
    validate_token_name(name);
    if (grace > kMaxGrace || grace.count() < 0) throw std::invalid_argument("grace: from 0s to 7d");
    const auto& h = hasher();
    IssuedToken issued;
    issued.secret = generate_token();
    ReplaceSecretRequest request;
    request.new_hash = h.hash(issued.secret);
    request.now = now();
    request.grace = grace;
    if (lifetime) request.new_expires_at = request.now + *lifetime;
    auto [outcome, record] = store_.replace_secret(name, request);
    if (outcome != ReplaceOutcome::replaced)
        OPENSSL_cleanse(issued.secret.data(), issued.secret.size());
    switch (outcome) {
        case ReplaceOutcome::replaced:
            issued.record = std::move(*record);
            return issued;
        case ReplaceOutcome::not_found:
            not_found(name);
        case ReplaceOutcome::revoked:
            throw TokenStateConflict("token '" + record->name +
                                     "' is revoked; create a new token instead");
        case ReplaceOutcome::expired:
            throw TokenStateConflict(
                "token '" + record->name + "' expired at " + rfc3339(record->expires_at) +
                "; give the new secret a lifetime with --expires, e.g. --expires 30d");
    }
    throw std::logic_error("unreachable");
}

}  // namespace mcpproxy::agent_token
