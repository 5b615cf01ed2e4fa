#include "kernel/health/readiness.hpp"

namespace mcpproxy::health {

void Readiness::expect(const std::string& component, std::string detail) {
    std::lock_guard lock(mutex_);
    components_[component] = {false, std::move(detail)};
}

void Readiness::set_ready(const std::string& component) {
    std::lock_guard lock(mutex_);
    components_[component] = {true, ""};
}

void Readiness::set_not_ready(const std::string& component, std::string detail) {
    std::lock_guard lock(mutex_);
    components_[component] = {false, std::move(detail)};
}

void Readiness::remove(const std::string& component) {
    std::lock_guard lock(mutex_);
    components_.erase(component);
}

void Readiness::set_degraded(const std::string& component, std::string detail) {
    std::lock_guard lock(mutex_);
    degraded_[component] = std::move(detail);
}

void Readiness::clear_degraded(const std::string& component) {
    std::lock_guard lock(mutex_);
    degraded_.erase(component);
}

std::vector<Readiness::Pending> Readiness::degraded() const {
    std::lock_guard lock(mutex_);
    std::vector<Pending> out;
    for (const auto& [name, detail] : degraded_) out.push_back({name, detail});
    return out;
}

bool Readiness::ready() const {
    std::lock_guard lock(mutex_);
    for (const auto& [name, state] : components_) {
        if (!state.first) return false;
    }
    return true;
}

std::vector<Readiness::Pending> Readiness::pending() const {
    std::lock_guard lock(mutex_);
    std::vector<Pending> out;
    for (const auto& [name, state] : components_) {
        if (!state.first) out.push_back({name, state.second});
    }
    return out;
}

}  // namespace mcpproxy::health
