#include "tools/bm25_index.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "tools/tokenizer.hpp"

namespace mcpproxy::tools {
namespace detail {

// Per-thread buffers reused across queries, so a search allocates only its result vector once the
// thread has warmed up. `scores` is all zeros between queries.
struct Bm25SearchScratch {
    std::vector<std::string> tokens;
    std::vector<std::uint32_t> terms;
    std::vector<double> scores;
    std::vector<std::uint32_t> touched;
    std::vector<SearchHit> hits;
};

}  // namespace detail

namespace {

struct WeightedText {
    std::string_view text;
    std::uint32_t weight;
};

std::vector<WeightedText> searchable_fields(const ToolDescriptor& tool) {
    std::vector<WeightedText> fields{{tool.name, Bm25Index::name_weight},
                                     {tool.title, Bm25Index::text_weight},
                                     {tool.description, Bm25Index::text_weight},
                                     {tool.server, Bm25Index::text_weight}};
    const auto properties = tool.input_schema.find("properties");
    if (properties == tool.input_schema.end() || !properties->is_object()) return fields;
    for (const auto& [parameter, schema] : properties->items()) {
        fields.push_back({parameter, Bm25Index::parameter_name_weight});
        if (!schema.is_object()) continue;
        const auto description = schema.find("description");
        if (description != schema.end() && description->is_string()) {
            fields.push_back({description->get_ref<const std::string&>(), Bm25Index::text_weight});
        }
    }
    return fields;
}

struct TermFrequency {
    std::uint32_t term;
    std::uint32_t frequency;  // weighted
};

// Puts the scores back to zero however the search ends (the accept callback may throw).
class ScoreReset {
public:
    explicit ScoreReset(detail::Bm25SearchScratch& scratch) : scratch_(scratch) {}
    ~ScoreReset() {
        for (const std::uint32_t tool : scratch_.touched) scratch_.scores[tool] = 0.0;
        scratch_.touched.clear();
    }
    ScoreReset(const ScoreReset&) = delete;
    ScoreReset& operator=(const ScoreReset&) = delete;

private:
    detail::Bm25SearchScratch& scratch_;
};

bool ranks_before(const SearchHit& left, const SearchHit& right) {
    if (left.score != right.score) return left.score > right.score;
    return left.tool_index < right.tool_index;
}

}  // namespace

Bm25Index::Bm25Index(std::span<const ToolDescriptor> tools) : document_count_(tools.size()) {
    if (tools.size() > std::numeric_limits<std::uint32_t>::max()) {
        throw std::length_error("too many tools for the search index");
    }
    std::vector<std::vector<TermFrequency>> tool_terms(tools.size());
    std::vector<double> tool_lengths(tools.size(), 0.0);
    std::vector<std::uint32_t> document_frequency;
    std::vector<std::string> tokens;

    for (std::size_t tool = 0; tool < tools.size(); ++tool) {
        std::unordered_map<std::uint32_t, std::uint32_t> frequencies;
        for (const WeightedText& field : searchable_fields(tools[tool])) {
            tokens.clear();
            tokenize_into(field.text, tokens);
            for (std::string& token : tokens) {
                const auto [it, added] = term_ids_.try_emplace(
                    std::move(token), static_cast<std::uint32_t>(term_ids_.size()));
                if (added) document_frequency.push_back(0);
                frequencies[it->second] += field.weight;
                tool_lengths[tool] += field.weight;
            }
        }
        auto& terms = tool_terms[tool];
        terms.reserve(frequencies.size());
        for (const auto& [term, frequency] : frequencies) {
            terms.push_back({term, frequency});
            ++document_frequency[term];
        }
    }

    double total_length = 0.0;
    for (const double length : tool_lengths) total_length += length;
    const double average_length =
        tools.empty() ? 0.0 : total_length / static_cast<double>(tools.size());

    posting_starts_.assign(term_ids_.size() + 1, 0);
    for (std::size_t term = 0; term < document_frequency.size(); ++term) {
        posting_starts_[term + 1] = posting_starts_[term] + document_frequency[term];
    }
    postings_.resize(posting_starts_.back());
    std::vector<std::uint32_t> next_slot(posting_starts_.begin(), posting_starts_.end() - 1);
    const auto n = static_cast<double>(tools.size());
    // Tools are visited in order, so each term's postings come out in tool order.
    for (std::size_t tool = 0; tool < tools.size(); ++tool) {
        const double length_norm = 1.0 - b + b * tool_lengths[tool] / average_length;
        for (const TermFrequency& entry : tool_terms[tool]) {
            const double df = document_frequency[entry.term];
            // The "+1" form of IDF (as in Lucene) stays positive even for terms in most tools.
            const double idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
            const double tf = entry.frequency;
            const double weight = idf * tf * (k1 + 1.0) / (tf + k1 * length_norm);
            postings_[next_slot[entry.term]++] = {static_cast<std::uint32_t>(tool), weight};
        }
    }
}

std::vector<SearchHit> Bm25Index::search(std::string_view query, std::size_t limit) const {
    return search(query, limit, Accept{});
}

std::vector<SearchHit> Bm25Index::search(std::string_view query, std::size_t limit,
                                         const Accept& accept) const {
    if (limit == 0 || postings_.empty()) return {};
    thread_local detail::Bm25SearchScratch shared_scratch;
    thread_local bool shared_scratch_busy = false;
    if (shared_scratch_busy) {
        // An accept callback searched again on this thread; it must not clobber the outer search.
        detail::Bm25SearchScratch own_scratch;
        return search_with(own_scratch, query, limit, accept);
    }
    shared_scratch_busy = true;
    struct Release {
        bool& busy;
        ~Release() { busy = false; }
    } release{shared_scratch_busy};
    return search_with(shared_scratch, query, limit, accept);
}

std::vector<SearchHit> Bm25Index::search_with(detail::Bm25SearchScratch& scratch,
                                              std::string_view query, std::size_t limit,
                                              const Accept& accept) const {
    scratch.tokens.clear();
    tokenize_into(query, scratch.tokens);
    scratch.terms.clear();
    for (const std::string& token : scratch.tokens) {
        const auto it = term_ids_.find(std::string_view{token});
        if (it != term_ids_.end()) scratch.terms.push_back(it->second);
    }
    if (scratch.terms.empty()) return {};
    // Each distinct query term counts once, so repeating a word does not skew the ranking.
    std::sort(scratch.terms.begin(), scratch.terms.end());
    scratch.terms.erase(std::unique(scratch.terms.begin(), scratch.terms.end()),
                        scratch.terms.end());

    if (scratch.scores.size() < document_count_) scratch.scores.resize(document_count_, 0.0);
    ScoreReset reset(scratch);
    for (const std::uint32_t term : scratch.terms) {
        const Posting* posting = postings_.data() + posting_starts_[term];
        const Posting* const end = postings_.data() + posting_starts_[term + 1];
        for (; posting != end; ++posting) {
            // Weights are always > 0, so a zero score means "not seen yet".
            if (scratch.scores[posting->tool] == 0.0) scratch.touched.push_back(posting->tool);
            scratch.scores[posting->tool] += posting->weight;
        }
    }

    scratch.hits.clear();
    for (const std::uint32_t tool : scratch.touched) {
        if (accept && !accept(tool)) continue;
        scratch.hits.push_back({tool, scratch.scores[tool]});
    }
    const std::size_t count = std::min(limit, scratch.hits.size());
    std::partial_sort(scratch.hits.begin(),
                      scratch.hits.begin() + static_cast<std::ptrdiff_t>(count), scratch.hits.end(),
                      ranks_before);
    return {scratch.hits.begin(), scratch.hits.begin() + static_cast<std::ptrdiff_t>(count)};
}

}  // namespace mcpproxy::tools
