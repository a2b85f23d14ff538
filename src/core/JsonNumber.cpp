#include "JsonNumber.h"

#include <cmath>

namespace gatepass {

std::optional<int64_t> integerIn(const nlohmann::json& j, int64_t lo, int64_t hi)
{
    if (j.is_number_unsigned()) {
        uint64_t u = j.get<uint64_t>();
        if (hi < 0 || u > uint64_t(hi) || (lo > 0 && u < uint64_t(lo)))
            return std::nullopt;
        return int64_t(u);
    }
    if (j.is_number_integer()) {
        int64_t i = j.get<int64_t>();
        return i >= lo && i <= hi ? std::optional(i) : std::nullopt;
    }
    if (j.is_number_float()) {
        double d = j.get<double>();
        // Compared as doubles first: only a value known to be in range is converted.
        if (!std::isfinite(d) || d != std::floor(d) || d < double(lo) || d > double(hi))
            return std::nullopt;
        int64_t i = int64_t(d);
        return i >= lo && i <= hi ? std::optional(i) : std::nullopt;
    }
    return std::nullopt;
}

std::optional<double> numberIn(const nlohmann::json& j, double lo, double hi)
{
    if (!j.is_number())
        return std::nullopt;
    double d = j.get<double>();
    return std::isfinite(d) && d >= lo && d <= hi ? std::optional(d) : std::nullopt;
}

} // namespace gatepass
