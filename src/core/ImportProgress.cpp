#include "ImportProgress.h"

#include <algorithm>
#include <memory>
#include <string>

namespace gatepass {

namespace {

struct Share {
    int from, to;
};

// The steps' shares of the bar, from their measured times (ImportProgress.h):
// 0.2 s, 1.8 s and 28.5 s of a 50.3 MB import in the browser, load ~8
// (docs/benchmarks-import.md, 2026-12-05).
constexpr Share kShares[] = {{0, 1}, {1, 8}, {8, 100}};

} // namespace

ImportProgress importProgress(ImportStep step, uint64_t done, uint64_t total)
{
    const Share s = kShares[int(step)];
    const double fraction = total ? std::min(1.0, double(done) / double(total)) : 1.0;
    ImportProgress p;
    p.percent = s.from + int(fraction * (s.to - s.from));
    const std::string n = std::to_string(p.percent) + "%";
    switch (step) {
    case ImportStep::Reading:
        p.words = Message{"batch.import.reading", "正在读取… " + n, "Reading… " + n, ""};
        break;
    case ImportStep::Checking:
        p.words = Message{"batch.import.checking", "正在核对… " + n, "Checking… " + n, ""};
        break;
    case ImportStep::Merging:
        p.words = Message{"batch.import.merging", "正在合并… " + n, "Merging… " + n, ""};
        break;
    }
    return p;
}

ImportProgressFn onPercentChange(ImportProgressFn sink)
{
    if (!sink)
        return {};
    auto last = std::make_shared<ImportProgress>();
    last->percent = -1;
    return [sink = std::move(sink), last](const ImportProgress& p) {
        if (p.percent == last->percent && p.words.code == last->words.code)
            return;
        *last = p;
        sink(p);
    };
}

} // namespace gatepass
