#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tools/tool_descriptor.hpp"

namespace mcpproxy::tools {
namespace detail {
struct Bm25SearchScratch;
}

struct SearchHit {
    std::size_t tool_index;  // position in the span the index was built from
    double score;
};

// Okapi BM25 over tools. A tool's terms come from weighted fields: name ×3, input parameter names
// ×2, title, description, parameter descriptions and server name ×1 (a field weight multiplies the
// term's frequency). Immutable once built: search() is const, takes no locks and may run on many
// threads at once. Every per-term, per-tool BM25 contribution is computed at build time, so a query
// only walks the postings of its terms and adds.
class Bm25Index {
public:
    static constexpr double k1 = 1.2;
    static constexpr double b = 0.75;
    static constexpr std::uint32_t name_weight = 3;
    static constexpr std::uint32_t parameter_name_weight = 2;
    static constexpr std::uint32_t text_weight = 1;

    // Accepts or rejects a matching tool by its index (used to apply the caller's visibility filter
    // before the top `limit` are chosen, so hidden tools never take a slot).
    using Accept = std::function<bool(std::size_t tool_index)>;

    Bm25Index() = default;
    explicit Bm25Index(std::span<const ToolDescriptor> tools);

    // The best `limit` tools for `query`, best first; equal scores keep tool order. Tools that
    // share no term with the query are not returned; an empty, blank or all-stop-word query returns
    // none.
    std::vector<SearchHit> search(std::string_view query, std::size_t limit) const;
    std::vector<SearchHit> search(std::string_view query, std::size_t limit,
                                  const Accept& accept) const;

    std::size_t document_count() const { return document_count_; }
    std::size_t term_count() const { return term_ids_.size(); }

private:
    struct StringHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };
    struct Posting {
        std::uint32_t tool;
        double weight;  // idf(term) × saturated, length-normalised term frequency in this tool
    };
    std::vector<SearchHit> search_with(detail::Bm25SearchScratch& scratch, std::string_view query,
                                       std::size_t limit, const Accept& accept) const;

    std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> term_ids_;
    std::vector<std::uint32_t> posting_starts_;  // term id → first posting; one extra at the end
    std::vector<Posting> postings_;              // grouped by term, tool order within a term
    std::size_t document_count_ = 0;
};

}  // namespace mcpproxy::tools
