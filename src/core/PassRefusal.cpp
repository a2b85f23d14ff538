#include "PassRefusal.h"

#include <array>
#include <utility>

namespace gatepass {

PassRefusal passRefusal(std::string_view code)
{
    struct Row {
        std::string_view code;
        PassRefusal refusal;
    };
    static const std::array<Row, 8> kRows{{
        {"pass.revoked", {"deny", {"通行码已作废", "Pass revoked"}}},
        {"pass.other_community", {"deny", {"非本社区通行码", "Not this community's pass"}}},
        {"visitor.used", {"deny", {"访客码已用过", "Visitor pass used"}}},
        {"visitor.not_today", {"deny", {"访客码今天无效", "Visitor pass not for today"}}},
        {"pass.stale", {"retry", {"请出示实时通行码", "Show the live pass"}}},
        {"pass.clock", {"retry", {"手机时间不对", "Phone clock is wrong"}}},
        {"pass.plain", {"retry", {"请重新打开通行码页面", "Reopen the pass page"}}},
        {"pass.retired_key", {"retry", {"请重新扫描社区海报", "Scan the poster again"}}},
    }};
    for (const Row& r : kRows)
        if (r.code == code)
            return r.refusal;
    return PassRefusal{"error", {"无法识别", "Not readable"}};
}

} // namespace gatepass
