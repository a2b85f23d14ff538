// Per-gate upload rate: a token bucket per key. A gate uploads its pending
// batches one after another when it comes online (oldest first), so the burst
// covers a day offline; the steady rate stops a looping or stolen console
// from flooding the office. In memory: a restart forgets, which only helps a
// gate.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace gatepass::office {

struct RateOptions {
    double perMinute = 30; // steady uploads a minute a gate may make
    double burst = 30;     // uploads a gate may make at once after a quiet time
};

class RateLimiter {
public:
    explicit RateLimiter(RateOptions options = {}) : options_(options) {}

    /// Takes one token for `key` at `nowMs`: 0 when allowed, else the whole
    /// seconds until one is available (for Retry-After).
    int take(const std::string& key, int64_t nowMs);

private:
    struct Bucket {
        double tokens = 0;
        int64_t atMs = 0;
    };
    RateOptions options_;
    std::mutex mutex_;
    std::map<std::string, Bucket> buckets_;
};

} // namespace gatepass::office
