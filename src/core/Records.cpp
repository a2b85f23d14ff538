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

} // namespace gatepass
