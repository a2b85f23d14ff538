#include "Records.h"

namespace gatepass {

EntryWords entryWords(const Entry& e, int utcOffsetMinutes)
{
    EntryWords w;
    w.dateTime = formatLocalTime(e.atMs, utcOffsetMinutes);
    w.time = w.dateTime.substr(w.dateTime.size() - 5);
    w.direction = wordsOf(e.direction);
    w.verdict = wordsOf(e.verdict);
    if (e.temperature)
        w.temperature = temperatureWords(*e.temperature);
    w.personType = wordsOf(e.personType);
    return w;
}

} // namespace gatepass
