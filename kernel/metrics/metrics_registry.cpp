#include "kernel/metrics/metrics_registry.hpp"

#include <cstdio>
#include <sstream>

namespace mcpproxy::metrics {

namespace {

void append_escaped(std::string& out, std::string_view value) {
    for (const char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out.push_back(c);
    }
}

}  // namespace

std::string escape_label(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    append_escaped(out, value);
    return out;
}

const std::string& Registry::key(std::string_view name, Labels labels) {
    thread_local std::string buffer;
    buffer.assign(name);
    if (labels.size() == 0) return buffer;
    buffer += '{';
    bool first = true;
    for (const auto& [label, value] : labels) {
        if (!first) buffer += ',';
        first = false;
        buffer += label;
        buffer += "=\"";
        append_escaped(buffer, value);
        buffer += '"';
    }
    buffer += '}';
    return buffer;
}

void Registry::describe(const std::string& name, const std::string& type, const std::string& help) {
    std::lock_guard lock(mutex_);
    help_[name] = {type, help};
}

void Registry::add(std::string_view name, Labels labels, std::uint64_t delta) {
    const auto& k = key(name, labels);
    std::atomic<std::uint64_t>* counter = nullptr;
    {
        std::lock_guard lock(mutex_);
        auto it = counters_.find(k);
        if (it == counters_.end())
            it = counters_.emplace(k, std::make_unique<std::atomic<std::uint64_t>>(0)).first;
        counter = it->second.get();
    }
    counter->fetch_add(delta, std::memory_order_relaxed);
}

void Registry::observe(std::string_view name, Labels labels, double seconds) {
    const auto& k = key(name, labels);
    Histogram* h = nullptr;
    {
        std::lock_guard lock(mutex_);
        auto it = histograms_.find(k);
        if (it == histograms_.end())
            it = histograms_.emplace(k, std::make_unique<Histogram>()).first;
        h = it->second.get();
    }
    std::size_t bucket = kBuckets.size();
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i]) {
            bucket = i;
            break;
        }
    }
    h->counts[bucket].fetch_add(1, std::memory_order_relaxed);
    h->sum_micros.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

namespace {

// "name{a="b"}" -> {"name", "a=\"b\""}
std::pair<std::string, std::string> split_key(const std::string& k) {
    const auto brace = k.find('{');
    if (brace == std::string::npos) return {k, ""};
    return {k.substr(0, brace), k.substr(brace + 1, k.size() - brace - 2)};
}

std::string with_label(const std::string& inner, const std::string& extra) {
    return "{" + inner + (inner.empty() ? "" : ",") + extra + "}";
}

}  // namespace

std::string Registry::render() const {
    std::lock_guard lock(mutex_);
    std::ostringstream out;
    std::string last;
    auto header = [&](const std::string& name, const char* fallback_type) {
        if (name == last) return;
        last = name;
        const auto it = help_.find(name);
        if (it != help_.end()) {
            out << "# HELP " << name << " " << it->second.second << "\n";
            out << "# TYPE " << name << " " << it->second.first << "\n";
        } else {
            out << "# TYPE " << name << " " << fallback_type << "\n";
        }
    };
    for (const auto& [k, v] : counters_) {
        header(split_key(k).first, "counter");
        out << k << " " << v->load(std::memory_order_relaxed) << "\n";
    }
    for (const auto& [k, h] : histograms_) {
        const auto [name, inner] = split_key(k);
        header(name, "histogram");
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < kBuckets.size(); ++i) {
            cumulative += h->counts[i].load(std::memory_order_relaxed);
            char le[32];
            std::snprintf(le, sizeof le, "%g", kBuckets[i]);
            out << name << "_bucket" << with_label(inner, std::string("le=\"") + le + "\"") << " "
                << cumulative << "\n";
        }
        cumulative += h->counts[kBuckets.size()].load(std::memory_order_relaxed);
        out << name << "_bucket" << with_label(inner, "le=\"+Inf\"") << " " << cumulative << "\n";
        const std::string labels = inner.empty() ? "" : "{" + inner + "}";
        out << name << "_sum" << labels << " " << static_cast<double>(h->sum_micros.load()) / 1e6
            << "\n";
        out << name << "_count" << labels << " " << cumulative << "\n";
    }
    return out.str();
}

}  // namespace mcpproxy::metrics
