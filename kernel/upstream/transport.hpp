#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace mcpproxy::upstream {

using Json = nlohmann::json;

// One message from the upstream server. related_request_id is set when the transport knows which
// of our requests the message belongs to (Streamable HTTP: it arrived on that request's POST
// stream); stdio cannot tell, so it is empty there.
struct IncomingMessage {
    Json message;
    std::optional<Json> related_request_id;
};

struct TransportHandlers {
    // Called for every message from the upstream, in arrival order per stream; different streams
    // may deliver concurrently. Must not block.
    std::function<void(IncomingMessage)> on_message;
    // Called once when the transport is gone for good (process exited, session lost, ...).
    std::function<void(std::string reason)> on_closed;
};

// Carries JSON-RPC messages to and from one upstream MCP server. It knows nothing of MCP methods
// or ids; the client above it does. Thread-safe: send() may be called concurrently.
class Transport {
public:
    virtual ~Transport() = default;
    // Starts the transport (spawns the process, prepares connections). Throws with a clear,
    // secret-free message when it cannot.
    virtual boost::asio::awaitable<void> open(TransportHandlers handlers) = 0;
    // Sends one message. For HTTP, replies and related messages arrive via on_message.
    // Throws when the message cannot be delivered; the error text names no secret.
    virtual boost::asio::awaitable<void> send(Json message) = 0;
    // Tells the transport the session is initialized (HTTP: remember Mcp-Session-Id and the
    // negotiated protocol version for later requests; may open the GET stream).
    virtual void initialized(const std::string& protocol_version) { (void)protocol_version; }
    // Stops everything; on_closed is not called for a close we asked for. Safe to call twice.
    virtual boost::asio::awaitable<void> close() = 0;
    [[nodiscard]] virtual std::string describe() const = 0;  // "stdio: node server.js", secret-free
    // True when IncomingMessage::related_request_id is filled in whenever a message belongs to one
    // of our requests (Streamable HTTP); false when the transport cannot tell (stdio).
    [[nodiscard]] virtual bool relates_messages() const { return false; }
    // True when send() is cheapest on the caller's own thread (the transport keeps connections per
    // thread); false: the client sends from the upstream's executor, one writer per upstream.
    [[nodiscard]] virtual bool sends_from_caller() const { return false; }
    // Set once the upstream refused our credentials and a credentials plugin said a person must
    // log in: what to tell them (e.g. which command to run). The upstream manager then retries
    // slowly instead of with its usual back-off.
    [[nodiscard]] virtual std::optional<std::string> login_needed() const { return std::nullopt; }
    // Changes when the credentials this transport would send next change (compare, never show).
    [[nodiscard]] virtual std::size_t credentials_fingerprint() const { return 0; }
};

}  // namespace mcpproxy::upstream
