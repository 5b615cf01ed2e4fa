#include "ngrok_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace mcpproxy::tunnel_ngrok {

std::string agent_config_yaml(std::uint16_t web_port) {
    return "# Written by mcpproxy (tunnel-ngrok) on every start; edits are lost.\n"
           "# The authtoken is passed in NGROK_AUTHTOKEN, never stored here.\n"
           "version: \"2\"\n"
           "web_addr: 127.0.0.1:" +
           std::to_string(web_port) + "\n";
}

std::string edge_auth_policy_yaml() {
    return R"YAML(# Written by mcpproxy (tunnel-ngrok, edge_auth_check) on every start; edits are lost.
# Defence in depth: ngrok's edge turns away what can never succeed before it reaches this
# machine. It checks the credential's shape only; mcpproxy verifies every token itself.
on_http_request:
  - expressions:
      - "!(req.url.path in ['/mcp', '/healthz'])"
    actions:
      - type: deny
        config:
          status_code: 404
  - expressions:
      - "req.url.path == '/mcp' && !(('authorization' in req.headers && req.headers['authorization'].exists(v, v.matches('^Bearer mcp_agt_[0-9a-f]{64}$'))) || ('x-api-key' in req.headers && req.headers['x-api-key'].exists(v, v.matches('^mcp_agt_[0-9a-f]{64}$'))))"
    actions:
      - type: custom-response
        config:
          status_code: 401
          headers:
            www-authenticate: Bearer
            content-type: text/plain
          body: "an agent token is required\n"
)YAML";
}

void write_private_file(const std::filesystem::path& path, const std::string& content) {
    const auto temp = path.string() + ".tmp";
    ::unlink(temp.c_str());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        throw std::runtime_error("cannot write " + temp + ": " + std::strerror(errno));
    }
    std::size_t done = 0;
    while (done < content.size()) {
        const auto n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int e = errno;
            ::close(fd);
            throw std::runtime_error("cannot write " + temp + ": " + std::strerror(e));
        }
        done += static_cast<std::size_t>(n);
    }
    ::fsync(fd);
    ::close(fd);
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        throw std::runtime_error("cannot replace " + path.string() + ": " + std::strerror(errno));
    }
}

}  // namespace mcpproxy::tunnel_ngrok
