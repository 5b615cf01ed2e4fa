#include "kernel/upstream/call_context.hpp"

namespace mcpproxy::upstream {

void CancelHandle::cancel(const std::string& reason) {
    std::function<void(const std::string&)> callback;
    {
        std::lock_guard lock(mutex_);
        if (cancelled_) return;
        cancelled_ = true;
        reason_ = reason;
        callback = std::move(callback_);
        callback_ = nullptr;
    }
    if (callback) callback(reason);
}

void CancelHandle::on_cancel(std::function<void(const std::string&)> callback) {
    std::string reason;
    {
        std::lock_guard lock(mutex_);
        if (!cancelled_) {
            callback_ = std::move(callback);
            return;
        }
        reason = reason_;
    }
    callback(reason);
}

void CancelHandle::clear() {
    std::lock_guard lock(mutex_);
    callback_ = nullptr;
}

bool CancelHandle::cancelled() const {
    std::lock_guard lock(mutex_);
    return cancelled_;
}

}  // namespace mcpproxy::upstream
