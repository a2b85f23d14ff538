#include "Records.h"

namespace gatepass {

EntryWords entryWords(const Entry& e, int utcOffsetMinutes)
{
    EntryWords w;
    w.dateTime = formatLocalTime(e.atMs, utcOffsetMinutes);
    w.time = w.dateTime.substr(w.dateTime.size() - 5);
    // A refused person did not go through: the log says so, not 进 (the direction asked).
    w.direction = e.verdict == Verdict::Deny ? kRefusedWords : wordsOf(e.direction);
    w.verdict = wordsOf(e.verdict);
    if (e.temperature)
        w.temperature = temperatureWords(*e.temperature);
    w.personType = wordsOf(e.personType);
    return w;
}

Message retentionPolicy(int days, RetentionAt where)
{
    const std::string d = std::to_string(days);
    const bool gate = where == RetentionAt::Gate;
    return Message{"retention.policy",
                   "数据保存 " + d + " 天：超过 " + d + " 天的出入记录、" + d + " 天内未出现的人员会被删除" +
                       (gate ? "；尚未导出或上传的不会删除。" : "（服务定时删除，只记录删除的数量）。"),
                   "Data is kept " + d + " days: entries older than that, and persons not seen for " + d + " days, are deleted" +
                       (gate ? "; nothing is deleted before it was exported or uploaded." : " (by the service on a schedule; only the counts are logged)."),
                   ""};
}

} // namespace gatepass
