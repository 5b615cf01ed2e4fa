#include "kernel/process/supervisor.hpp"

#include <stdexcept>

#include "kernel/process/supervision_loop.hpp"

namespace mcpproxy::process {
namespace {

class SupervisedProcessHandle final : public sdk::SupervisedProcess {
public:
    explicit SupervisedProcessHandle(std::shared_ptr<SupervisionLoop> loop)
        : loop_(std::move(loop)) {}
    SupervisedProcessHandle(const SupervisedProcessHandle&) = delete;
    SupervisedProcessHandle& operator=(const SupervisedProcessHandle&) = delete;

    ~SupervisedProcessHandle() override {
        try {
            loop_->stop();
        } catch (...) {
            // Destructors must not throw; the loop itself kills its child when it is destroyed.
        }
    }

    void stop() override { loop_->stop(); }
    void restart() override { loop_->restart(); }
    [[nodiscard]] int pid() const override { return loop_->pid(); }
    [[nodiscard]] unsigned restarts() const override { return loop_->restarts(); }
    [[nodiscard]] bool running() const override { return loop_->running(); }

private:
    std::shared_ptr<SupervisionLoop> loop_;
};

}  // namespace

Supervisor::Supervisor(boost::asio::any_io_executor executor, SupervisorOptions options)
    : executor_(std::move(executor)), options_(std::move(options)) {}

std::unique_ptr<sdk::SupervisedProcess> Supervisor::spawn(
    sdk::ProcessSpec spec, std::shared_ptr<sdk::ProcessEvents> events) {
    if (spec.argv.empty()) {
        throw std::runtime_error("cannot start process '" + spec.name + "': argv is empty");
    }
    auto loop =
        std::make_shared<SupervisionLoop>(executor_, std::move(spec), std::move(events), options_);
    loop->start();
    return std::make_unique<SupervisedProcessHandle>(std::move(loop));
}

}  // namespace mcpproxy::process
