// How the gate shows a pass it will not take: a heading in the core's words
// and a tone the console turns into a colour and a sound (scan's `refusal`),
// so that each kind of refusal looks and sounds like what staff do next —
// not one "not readable" for a revoked card and a stale screenshot alike.
#pragma once

#include "Words.h"

#include <string_view>

namespace gatepass {

struct PassRefusal {
    /// "deny": nobody comes in on this pass (revoked, another community's, a
    ///         visitor pass used up or off its days): red, the deny buzz;
    /// "retry": the person can show a good pass (too old: a screenshot; the
    ///         phone's clock; an old plain pass; a retired key): amber, the refer beeps;
    /// "error": not a pass this gate can read (damaged, another QR code, a
    ///         newer format, a gate not enrolled, anything else): the error beeps.
    std::string_view tone;
    Words title; // the panel's heading, short: the message below it says why and what to do
};

/// The refusal for an error code scan answers (Api.h scan); "error" and
/// 无法识别 / Not readable for any code not named above.
PassRefusal passRefusal(std::string_view code);

} // namespace gatepass
