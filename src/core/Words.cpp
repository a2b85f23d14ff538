#include "Words.h"

#include <cstdio>

namespace gatepass {

std::string oneDecimal(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string temperatureWords(double celsius) { return oneDecimal(celsius) + " °C"; }

} // namespace gatepass
