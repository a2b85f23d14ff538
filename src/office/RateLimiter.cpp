#include "RateLimiter.h"

#include <algorithm>
#include <cmath>

namespace gatepass::office {

int RateLimiter::take(const std::string& key, int64_t nowMs)
{
    std::lock_guard lock(mutex_);
    auto [it, fresh] = buckets_.try_emplace(key, Bucket{options_.burst, nowMs});
    Bucket& b = it->second;
    const double perMs = options_.perMinute / 60000.0;
    b.tokens = std::min(options_.burst, b.tokens + double(std::max<int64_t>(0, nowMs - b.atMs)) * perMs);
    b.atMs = std::max(b.atMs, nowMs);
    if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
    }
    return perMs > 0 ? std::max(1, int(std::ceil((1 - b.tokens) / perMs / 1000.0))) : 3600;
}

} // namespace gatepass::office
