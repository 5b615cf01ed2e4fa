// Measures retrieve_tools search latency over 1,000 synthetic upstream tools (R-MCP-3 target:
// well under 5 ms per query). Prints one table row per operation measured.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "tools/catalog.hpp"
#include "tools/meta_tools.hpp"

namespace {

using mcpproxy::tools::Catalog;
using mcpproxy::tools::ToolDescriptor;
using mcpproxy::tools::ToolFilter;
using nlohmann::json;

constexpr std::size_t tool_count = 1000;
constexpr std::size_t query_count = 10000;
constexpr std::size_t result_limit = 10;

struct Server {
    const char* name;
    const char* product;  // how descriptions refer to it
    std::vector<const char*> objects;
    std::vector<std::pair<const char*, const char*>> context;  // parameters every tool takes
};

struct Verb {
    const char* name;
    const char* sentence;  // {o} = object, {p} = product
    enum class Kind { read, write, destructive } kind;
    bool plural_object;  // the object is a collection ("list issues")
};

const std::vector<Server>& servers() {
    static const std::vector<Server> list = {
        {"github",
         "GitHub",
         {"issue", "pull_request", "repository", "branch", "commit", "release", "workflow_run",
          "label", "milestone", "gist"},
         {{"owner", "Account or organisation that owns the repository"},
          {"repo", "Repository name"}}},
        {"gitlab",
         "GitLab",
         {"merge_request", "project", "pipeline", "issue", "tag", "runner", "snippet"},
         {{"project_id", "Numeric id or path of the GitLab project"}}},
        {"slack",
         "Slack",
         {"message", "channel", "user", "reaction", "file", "reminder", "thread"},
         {{"workspace", "Slack workspace domain"}}},
        {"jira",
         "Jira",
         {"ticket", "sprint", "board", "epic", "worklog", "comment", "component"},
         {{"project_key", "Jira project key such as OPS"}}},
        {"linear",
         "Linear",
         {"issue", "cycle", "team", "project", "roadmap", "comment"},
         {{"team_id", "Linear team identifier"}}},
        {"notion",
         "Notion",
         {"page", "database", "block", "comment", "workspace_user"},
         {{"workspace_id", "Notion workspace"}}},
        {"postgres",
         "the PostgreSQL database",
         {"table", "row", "index", "view", "schema", "query_plan", "role"},
         {{"database", "Database name"}, {"schema", "Schema, default public"}}},
        {"filesystem",
         "the local file system",
         {"file", "directory", "symlink", "file_permission"},
         {{"root", "Allowed root directory"}}},
        {"weather",
         "the weather service",
         {"forecast", "current_condition", "alert", "air_quality", "radar_image"},
         {{"location", "City name or latitude,longitude"}}},
        {"calendar",
         "Google Calendar",
         {"event", "calendar", "attendee", "availability", "reminder"},
         {{"calendar_id", "Calendar identifier, primary by default"}}},
        {"gmail",
         "Gmail",
         {"email", "draft", "label", "thread", "attachment", "filter"},
         {{"mailbox", "Mailbox address"}}},
        {"drive",
         "Google Drive",
         {"document", "spreadsheet", "folder", "permission", "revision"},
         {{"drive_id", "Shared drive id"}}},
        {"s3",
         "Amazon S3",
         {"bucket", "object", "bucket_policy", "lifecycle_rule", "presigned_url"},
         {{"region", "AWS region such as eu-west-1"}}},
        {"kubernetes",
         "the Kubernetes cluster",
         {"pod", "deployment", "service", "config_map", "secret", "node", "ingress", "job"},
         {{"namespace", "Kubernetes namespace"}, {"context", "kubeconfig context"}}},
        {"docker",
         "the Docker engine",
         {"container", "image", "volume", "network", "compose_stack"},
         {{"host", "Docker host URL"}}},
        {"stripe",
         "Stripe",
         {"customer", "invoice", "payment_intent", "subscription", "refund", "product", "price"},
         {{"account", "Connected account id"}}},
        {"sentry",
         "Sentry",
         {"issue", "event", "release", "project", "alert_rule"},
         {{"organization", "Sentry organisation slug"}}},
        {"datadog",
         "Datadog",
         {"monitor", "dashboard", "metric", "log", "incident", "slo"},
         {{"site", "Datadog site such as datadoghq.eu"}}},
        {"confluence",
         "Confluence",
         {"page", "space", "attachment", "comment", "blog_post"},
         {{"space_key", "Confluence space key"}}},
        {"browser",
         "a headless browser",
         {"page", "screenshot", "cookie", "tab", "pdf", "form"},
         {{"session_id", "Browser session"}}},
    };
    return list;
}

const std::vector<Verb>& verbs() {
    using K = Verb::Kind;
    static const std::vector<Verb> list = {
        {"get", "Get a single {o} from {p} by its identifier, with all of its fields.", K::read,
         false},
        {"list", "List {o}s in {p}, newest first, with optional filters and pagination.", K::read,
         true},
        {"search", "Search {o}s in {p} by free-text query and return the best matches.", K::read,
         true},
        {"count", "Count the {o}s in {p} that match the given filters.", K::read, true},
        {"export", "Export {o}s from {p} as CSV or JSON for reporting.", K::read, true},
        {"watch", "Watch a {o} in {p} and report changes since a point in time.", K::read, false},
        {"create", "Create a new {o} in {p} and return it.", K::write, false},
        {"update", "Update fields of an existing {o} in {p}; fields left out are unchanged.",
         K::write, false},
        {"archive", "Archive a {o} in {p} so that it no longer shows in default listings.",
         K::write, false},
        {"restore", "Restore an archived {o} in {p}.", K::write, false},
        {"copy", "Copy a {o} in {p}, optionally to another location.", K::write, false},
        {"move", "Move a {o} in {p} to another parent or location.", K::write, false},
        {"share", "Share a {o} in {p} with users or groups and set their access level.", K::write,
         false},
        {"tag", "Add or remove tags on a {o} in {p}.", K::write, false},
        {"import", "Import {o}s into {p} from a CSV or JSON file.", K::write, true},
        {"sync", "Synchronise {o}s in {p} with an external source.", K::write, true},
        {"delete", "Permanently delete a {o} from {p}. This cannot be undone.", K::destructive,
         false},
        {"purge", "Purge all {o}s matching a filter from {p}, irreversibly.", K::destructive, true},
    };
    return list;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

std::string spaced(std::string identifier) {
    return replace_all(std::move(identifier), "_", " ");
}

json parameters_for(const Server& server, const Verb& verb, const std::string& object) {
    json properties = json::object();
    for (const auto& [name, description] : server.context) {
        properties[name] = {{"type", "string"}, {"description", description}};
    }
    const std::string readable = spaced(object);
    if (verb.plural_object) {
        properties["filter"] = {{"type", "string"},
                                {"description", "Filter expression, e.g. status:open"}};
        properties["limit"] = {{"type", "integer"},
                               {"description", "Maximum number of " + readable + "s to return"}};
        properties["cursor"] = {{"type", "string"},
                                {"description", "Pagination cursor from a previous call"}};
    } else {
        properties[object + "_id"] = {{"type", "string"},
                                      {"description", "Identifier of the " + readable}};
    }
    if (verb.kind == Verb::Kind::write && !verb.plural_object) {
        properties["title"] = {{"type", "string"},
                               {"description", "Title or name of the " + readable}};
        properties["body"] = {{"type", "string"},
                              {"description", "Text content, Markdown allowed"}};
        properties["labels"] = {
            {"type", "array"}, {"items", {{"type", "string"}}}, {"description", "Labels to apply"}};
    }
    json required = json::array();
    for (const auto& [name, description] : server.context) required.push_back(name);
    return {{"type", "object"}, {"properties", properties}, {"required", required}};
}

std::vector<ToolDescriptor> synthetic_tools(std::mt19937& random) {
    std::vector<ToolDescriptor> tools;
    const std::size_t per_server = tool_count / servers().size();
    for (const Server& server : servers()) {
        std::vector<std::pair<const Verb*, const char*>> combinations;
        for (const Verb& verb : verbs()) {
            for (const char* object : server.objects) combinations.emplace_back(&verb, object);
        }
        std::shuffle(combinations.begin(), combinations.end(), random);
        combinations.resize(std::min(per_server, combinations.size()));
        for (const auto& [verb, object] : combinations) {
            const std::string name =
                std::string{verb->name} + "_" + object + (verb->plural_object ? "s" : "");
            std::string description = replace_all(verb->sentence, "{o}", spaced(object));
            description = replace_all(description, "{p}", server.product);
            json tool = {{"name", name},
                         {"description", description},
                         {"inputSchema", parameters_for(server, *verb, object)}};
            if (verb->kind == Verb::Kind::read) tool["annotations"] = {{"readOnlyHint", true}};
            if (verb->kind == Verb::Kind::destructive)
                tool["annotations"] = {{"destructiveHint", true}};
            tools.push_back(mcpproxy::tools::from_mcp_tool(server.name, tool));
        }
    }
    return tools;
}

std::vector<std::string> synthetic_queries(const std::vector<ToolDescriptor>& tools,
                                           std::mt19937& random) {
    const std::vector<std::string> phrasings = {
        "{v} {o} in {s}",
        "{v} {o}",
        "{s} {o}",
        "how do I {v} a {o} on {s}",
        "I need to {v} the {o}s for the team in {s} before the release",
        "{v} all {o}s",
        "can you {v} my latest {o} and tell me what changed"};
    const std::vector<std::string> unknown = {"quantum entanglement", "recipe for lasagna", "zzz",
                                              "translate poem into latin", "the of and"};
    std::vector<std::string> queries;
    queries.reserve(query_count);
    auto pick = [&](std::size_t size) {
        return std::uniform_int_distribution<std::size_t>(0, size - 1)(random);
    };
    while (queries.size() < query_count) {
        const std::size_t kind = pick(10);
        if (kind == 0) {
            queries.push_back(unknown[pick(unknown.size())]);
        } else if (kind <= 3) {
            queries.push_back(tools[pick(tools.size())].name);  // the model already knows the name
        } else {
            const Server& server = servers()[pick(servers().size())];
            std::string query = phrasings[pick(phrasings.size())];
            query = replace_all(query, "{v}", verbs()[pick(verbs().size())].name);
            query = replace_all(query, "{o}", spaced(server.objects[pick(server.objects.size())]));
            query = replace_all(query, "{s}", server.name);
            queries.push_back(std::move(query));
        }
    }
    return queries;
}

struct Row {
    std::string operation;
    std::size_t queries;
    double p50_us, p99_us, p999_us, max_us, mean_us;
};

Row measure(const std::string& operation, const std::vector<std::string>& queries,
            const std::function<std::size_t(const std::string&)>& run) {
    for (std::size_t i = 0; i < std::min<std::size_t>(1000, queries.size()); ++i)
        run(queries[i]);  // warm up
    std::vector<double> micros;
    micros.reserve(queries.size());
    std::size_t sink = 0;
    for (const auto& query : queries) {
        const auto start = std::chrono::steady_clock::now();
        sink += run(query);
        const auto end = std::chrono::steady_clock::now();
        micros.push_back(std::chrono::duration<double, std::micro>(end - start).count());
    }
    if (sink == 0) std::puts("(no query matched anything)");
    double total = 0;
    for (const double m : micros) total += m;
    std::sort(micros.begin(), micros.end());
    auto percentile = [&](double p) {
        return micros[static_cast<std::size_t>(p * static_cast<double>(micros.size() - 1))];
    };
    return {operation,
            queries.size(),
            percentile(0.50),
            percentile(0.99),
            percentile(0.999),
            micros.back(),
            total / static_cast<double>(micros.size())};
}

}  // namespace

int main() {
    std::mt19937 random(20261125);
    auto tools = synthetic_tools(random);
    const auto queries = synthetic_queries(tools, random);

    const auto build_start = std::chrono::steady_clock::now();
    const auto catalog = Catalog::make(std::move(tools));
    const auto build_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - build_start)
            .count();

    // A policy-like filter: the caller may see 15 of the 20 servers.
    const ToolFilter filter = [](const ToolDescriptor& tool) {
        return tool.server != "stripe" && tool.server != "s3" && tool.server != "gmail" &&
               tool.server != "drive" && tool.server != "postgres";
    };
    std::vector<Row> rows;
    rows.push_back(measure("Catalog::search", queries, [&](const std::string& q) {
        return catalog->search(q, result_limit).size();
    }));
    rows.push_back(measure("Catalog::search + filter", queries, [&](const std::string& q) {
        return catalog->search(q, result_limit, filter).size();
    }));
    rows.push_back(measure("retrieve_tools_result (JSON)", queries, [&](const std::string& q) {
        return mcpproxy::tools::retrieve_tools_result(*catalog, q, result_limit,
                                                      filter)["structuredContent"]["tools"]
            .size();
    }));

    std::printf("BM25 tool search: %zu tools, %zu terms, limit %zu, index built in %.1f ms\n\n",
                catalog->size(), catalog->index().term_count(), result_limit, build_ms);
    std::printf("%-30s %6s %8s %9s %9s %9s %9s %9s\n", "operation", "tools", "queries", "p50 us",
                "p99 us", "p99.9 us", "max us", "mean us");
    for (const Row& row : rows) {
        std::printf("%-30s %6zu %8zu %9.2f %9.2f %9.2f %9.2f %9.2f\n", row.operation.c_str(),
                    catalog->size(), row.queries, row.p50_us, row.p99_us, row.p999_us, row.max_us,
                    row.mean_us);
    }

    // A glance at relevance: the top three for a few typical queries.
    std::puts("\nsample rankings (top 3):");
    for (const char* query : {"create github issue", "delete a pod in kubernetes",
                              "weather forecast", "listIssues", "refund a stripe payment"}) {
        std::printf("  %-28s", query);
        for (const auto& hit : catalog->search(query, 3)) {
            const auto& tool = catalog->tools()[hit.tool_index];
            std::printf("  %s:%s (%.2f)", tool.server.c_str(), tool.name.c_str(), hit.score);
        }
        std::puts("");
    }
    return 0;
}
