#include "PassReader.h"

#include "Pass.h"

namespace gatepass {

uint64_t PassReader::uint(int bytes)
{
    if (failed_ || pos_ + size_t(bytes) > in_.size()) {
        failed_ = true;
        return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
        v = v << 8 | uint8_t(in_[pos_++]);
    return v;
}

std::string PassReader::bytes(size_t n)
{
    if (failed_ || pos_ + n > in_.size()) {
        failed_ = true;
        return {};
    }
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
}

std::string PassReader::text()
{
    auto s = unpackPassText(bytes(size_t(uint(1))));
    if (!s)
        failed_ = true;
    return s.value_or("");
}

} // namespace gatepass
