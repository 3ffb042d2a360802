#include "models/KeyQueue.h"

#include <algorithm>

#include <ATen/ATen.h>
#include <torch/utils.h>

#include "common/Error.h"

namespace crl::models {

KeyQueueImpl::KeyQueueImpl(const KeyQueueOptions& options_) : options(options_) {
    reset();
}

void KeyQueueImpl::reset() {
    keys = register_buffer("keys", at::zeros({options.size(), options.dim()}));
    position = register_buffer("position", at::zeros({2}, at::kLong));
}

std::int64_t KeyQueueImpl::count() const {
    return position[1].item<std::int64_t>();
}

at::Tensor KeyQueueImpl::negatives() const {
    // Until the first wrap the keys fill slots [0, count); afterwards every slot holds one.
    return keys.narrow(0, 0, count());
}

at::Tensor KeyQueueImpl::oldestFirst() const {
    const std::int64_t held = count();
    if (held < options.size()) {
        return keys.narrow(0, 0, held);
    }
    const std::int64_t next = position[0].item<std::int64_t>();
    return at::cat({keys.narrow(0, next, held - next), keys.narrow(0, 0, next)}, 0);
}

void KeyQueueImpl::enqueue(const at::Tensor& batch) {
    const std::int64_t size = options.size();
    const std::int64_t n = batch.size(0);
    if (batch.dim() != 2 || batch.size(1) != options.dim()) {
        throw UserError("the key queue holds keys of width " + std::to_string(options.dim()) +
                        " but was given keys of shape " + std::to_string(batch.dim()) +
                        "-d with width " + std::to_string(batch.size(-1)) +
                        "; connect it to the embedding it was built for");
    }
    if (n > size) {
        throw UserError("a batch of " + std::to_string(n) + " keys does not fit a queue of " +
                        std::to_string(size) + "; make the queue at least as long as a batch");
    }
    torch::NoGradGuard noGrad;
    const at::Tensor incoming = batch.detach().to(keys.device(), keys.scalar_type());
    const std::int64_t next = position[0].item<std::int64_t>();

    // The slots left before the end take the first keys; the rest wrap to the start.
    const std::int64_t first = std::min(n, size - next);
    keys.narrow(0, next, first).copy_(incoming.narrow(0, 0, first));
    if (n > first) {
        keys.narrow(0, 0, n - first).copy_(incoming.narrow(0, first, n - first));
    }

    position[0].fill_((next + n) % size);
    position[1].fill_(std::min(size, count() + n));
}

}  // namespace crl::models
