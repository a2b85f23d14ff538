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

Message unauthenticatedBatch(Unauthenticated why, std::string_view gate)
{
    std::string g(gate);
    switch (why) {
    case Unauthenticated::NoMac:
        return {"batch.unauthenticated", "批次没有门岗认证码（门岗未在办公室登记，或由旧版本导出），无法确认来源，未导入",
                "The batch carries no gate authentication code (its gate is not enrolled at the office, or an older "
                "version made it), so its origin cannot be confirmed; nothing was imported",
                ""};
    case Unauthenticated::UnknownGate:
        return {"batch.unauthenticated", "办公室没有登记门岗“" + g + "”（或已撤销），无法确认批次来源，未导入",
                "The office has no enrolled gate \"" + g + "\" (or it was revoked), so the batch's origin cannot be "
                "confirmed; nothing was imported",
                ""};
    case Unauthenticated::WrongMac:
        break;
    }
    return {"batch.unauthenticated", "批次的门岗认证码不符（文件被改动，或并非门岗“" + g + "”所导出），未导入",
            "The batch's gate authentication code does not match (the file was altered, or gate \"" + g +
                "\" did not make it); nothing was imported",
            ""};
}

} // namespace gatepass
