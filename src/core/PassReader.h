// Reading the bytes of a pass payload (Pass.h, CardPass.h, VisitorPass.h):
// big-endian integers, raw bytes and packed text, in order. A read past the
// end, or text packing never makes, marks the reader failed and gives zero or
// empty from then on, so a payload is read straight through and judged once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gatepass {

class PassReader {
public:
    explicit PassReader(std::string_view in) : in_(in) {}
    bool failed() const { return failed_; }
    bool atEnd() const { return pos_ == in_.size(); }
    /// Not failed, and every byte read.
    bool ok() const { return !failed_ && atEnd(); }
    /// `bytes` (1–8) bytes, big-endian.
    uint64_t uint(int bytes);
    std::string bytes(size_t n);
    /// A u8 length, then that many bytes of packed text (Pass.h packPassText), unpacked.
    std::string text();

private:
    std::string_view in_;
    size_t pos_ = 0;
    bool failed_ = false;
};

} // namespace gatepass
