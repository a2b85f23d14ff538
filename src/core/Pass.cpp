#include "Pass.h"

#include "Base45.h"
#include "IdNumber.h"
#include "Digest.h"
#include "PassReader.h"
#include "Validation.h"

#include <utf8.h>

#include <algorithm>
#include <optional>

namespace gatepass {

namespace {

constexpr int64_t kEpochMinute2020 = 26'297'280;   // 2020-01-01T00:00Z in minutes since 1970
constexpr int32_t kDateBase = -25'567;             // 1900-01-01 in days since 1970
constexpr size_t kCheckBytes = 4;                  // 1 in 4 billion for a random alteration

enum Flag : uint8_t {
    LeftCity = 1,
    EpidemicContact = 2,
    Symptoms = 4,
    HomeObservation = 8,
    CompactId = 16,
    CompactMobile = 32,
    HasEmployer = 64,
};

// Text in a pass: ASCII as one byte, the CJK Unified Ideographs block as two
// (UTF-8 needs three), U+0080-U+00FF (the name middle dot) as two, anything
// else as four. A Chinese name or address takes a third less room, which is
// the difference between QR versions for most records.
constexpr char32_t kCjkFirst = 0x4E00, kCjkLast = 0x9FFF;
constexpr uint8_t kCjkLead = 0x80, kCjkLeadEnd = 0x80 + ((kCjkLast - kCjkFirst) >> 8); // 0x80..0xD1
constexpr uint8_t kLatin1Lead = 0xFE, kAnyLead = 0xFF;

std::string packText(std::string_view utf8)
{
    std::string out;
    for (char32_t c : utf8::utf8to32(utf8)) {
        if (c < 0x80) {
            out += char(c);
        } else if (c >= kCjkFirst && c <= kCjkLast) {
            out += char(kCjkLead + ((c - kCjkFirst) >> 8));
            out += char((c - kCjkFirst) & 0xFF);
        } else if (c <= 0xFF) {
            out += char(kLatin1Lead);
            out += char(c);
        } else {
            out += char(kAnyLead);
            out += char(c >> 16), out += char(c >> 8), out += char(c);
        }
    }
    return out;
}

std::optional<std::string> unpackText(std::string_view packed)
{
    std::u32string cps;
    for (size_t i = 0; i < packed.size();) {
        uint8_t b = uint8_t(packed[i]);
        auto need = [&](size_t n) { return i + n <= packed.size(); };
        if (b < 0x80) {
            cps += char32_t(b), i += 1;
        } else if (b <= kCjkLeadEnd && need(2)) {
            cps += kCjkFirst + (char32_t(b - kCjkLead) << 8 | uint8_t(packed[i + 1])), i += 2;
        } else if (b == kLatin1Lead && need(2) && uint8_t(packed[i + 1]) >= 0x80) {
            cps += char32_t(uint8_t(packed[i + 1])), i += 2;
        } else if (b == kAnyLead && need(4)) {
            char32_t c = char32_t(uint8_t(packed[i + 1])) << 16 | char32_t(uint8_t(packed[i + 2])) << 8 | uint8_t(packed[i + 3]);
            if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
                return std::nullopt;
            cps += c, i += 4;
        } else {
            return std::nullopt;
        }
    }
    return utf8::utf32to8(cps);
}

class Writer {
public:
    void u8(unsigned v) { out_ += char(uint8_t(v)); }
    void uint(uint64_t v, int bytes)
    {
        for (int i = bytes - 1; i >= 0; --i)
            u8(unsigned(v >> (8 * i)));
    }
    void str(std::string_view s)
    {
        std::string packed = packText(s);
        u8(unsigned(packed.size()));
        out_ += packed;
    }
    void date(Date d) { uint(uint64_t(d.days - kDateBase), 2); }
    std::string& bytes() { return out_; }

private:
    std::string out_;
};

Date readDate(PassReader& r) { return Date{int32_t(r.uint(2)) + kDateBase}; }

bool isCompactId(const Person& p)
{
    return p.docNumber.size() == 18 && (p.docType == DocType::ResidentId || p.docType == DocType::ResidencePermit ||
                                        (p.docType == DocType::ForeignPermanent && p.docNumber[0] == '9'));
}

bool isMobile(std::string_view phone) { return phone.size() == 11 && phone[0] == '1'; }

Message damaged()
{
    return {"pass.damaged", "通行码不完整或已损坏，请让对方重新打开通行码", "The pass is incomplete or damaged; ask for it to be shown again", ""};
}

// The record's bytes after the format byte, shared by both formats: flags,
// types, the issued minute, [format 2: the made second], the fields.
Result<std::string> recordBytes(const Person& input, int format, int64_t issuedAtMs, int64_t madeAtMs)
{
    Validated v = validate(input, std::nullopt);
    if (!v.ok())
        return v.errors.front();
    const Person& p = v.person;

    // Dates travel as two bytes of days since 1900: 1900-01-01 … 2079-06-06.
    for (const std::optional<Date>& d : {p.returnDate, p.observationStart})
        if (d && (d->days < kDateBase || d->days > kDateBase + 0xFFFF))
            return Message{"pass.date_range", "通行码只能记录1900年至2079年之间的日期",
                           "A pass can only hold dates from 1900 to 2079", ""};

    bool compactId = isCompactId(p);
    bool compactMobile = isMobile(p.phone);
    uint8_t flags = (p.leftCity ? LeftCity : 0) | (p.epidemicContact ? EpidemicContact : 0) | (p.symptoms ? Symptoms : 0) |
                    (p.homeObservation ? HomeObservation : 0) | (compactId ? CompactId : 0) |
                    (compactMobile ? CompactMobile : 0) | (p.employer.empty() ? 0 : HasEmployer);
    Writer w;
    w.u8(unsigned(format));
    w.u8(flags);
    w.u8(unsigned(p.docType) | unsigned(p.personType) << 4);
    int64_t minute = issuedAtMs / 60'000 - kEpochMinute2020;
    w.uint(uint64_t(std::clamp<int64_t>(minute, 0, UINT32_MAX)), 4);
    if (format == kSealedPassFormat) {
        int64_t second = madeAtMs / 1000 - kEpochMinute2020 * 60;
        w.uint(uint64_t(std::clamp<int64_t>(second, 0, UINT32_MAX)), 4);
    }
    if (compactId)
        w.uint(std::stoull(p.docNumber.substr(0, 17)), 8);
    else
        w.str(p.docNumber);
    if (compactMobile)
        w.uint(std::stoull(p.phone), 5);
    else
        w.str(p.phone);
    w.str(p.name);
    w.str(p.address);
    if (!p.employer.empty())
        w.str(p.employer);
    if (p.leftCity) {
        w.str(p.cameFrom);
        w.date(*p.returnDate);
    }
    if (p.homeObservation)
        w.date(*p.observationStart);
    return std::move(w.bytes());
}

// The record in a payload of `format` (the format byte already checked), or
// why not: pass.damaged, pass.invalid_record.
Result<LivePass> readPayload(std::string_view payload, int format)
{
    PassReader r(payload);
    if (r.uint(1) != uint64_t(format))
        return damaged();
    unsigned flags = unsigned(r.uint(1));
    unsigned types = unsigned(r.uint(1));
    int64_t minute = int64_t(r.uint(4));
    int64_t second = format == kSealedPassFormat ? int64_t(r.uint(4)) : 0;
    Person p;
    if ((types & 15) >= kDocTypeCount || (types >> 4) >= kPersonTypeCount)
        return damaged();
    p.docType = DocType(types & 15);
    p.personType = PersonType(types >> 4);
    if (flags & CompactId) {
        uint64_t digits = r.uint(8);
        std::string first17 = std::to_string(digits);
        if (first17.size() > 17)
            return damaged();
        first17.insert(0, 17 - first17.size(), '0');
        p.docNumber = first17 + idCheckCharacter(first17);
    } else {
        p.docNumber = r.text();
    }
    p.phone = (flags & CompactMobile) ? std::to_string(r.uint(5)) : r.text();
    p.name = r.text();
    p.address = r.text();
    if (flags & HasEmployer)
        p.employer = r.text();
    p.leftCity = flags & LeftCity;
    p.epidemicContact = flags & EpidemicContact;
    p.symptoms = flags & Symptoms;
    p.homeObservation = flags & HomeObservation;
    if (p.leftCity) {
        p.cameFrom = r.text();
        p.returnDate = readDate(r);
    }
    if (p.homeObservation)
        p.observationStart = readDate(r);
    if (r.failed() || !r.atEnd() || (flags & 0x80))
        return damaged();

    // The check (or the seal) guards against damage, not forgery by a holder
    // of the key: a record must also be one the form could have produced.
    Validated v = validate(p, std::nullopt);
    if (!v.ok() || v.person != p)
        return Message{"pass.invalid_record", "通行码中的信息不符合登记要求，请重新登记",
                       "The record in the pass is not valid; please register again", ""};
    return LivePass{std::move(p), (minute + kEpochMinute2020) * 60'000, (second + kEpochMinute2020 * 60) * 1000};
}

} // namespace

Result<std::string> encodePass(const Person& input, int64_t issuedAtMs)
{
    auto bytes = recordBytes(input, kPassFormat, issuedAtMs, 0);
    if (!bytes)
        return bytes.error();
    auto check = sha256(*bytes);
    if (!check)
        return digestUnavailable();
    bytes->append(reinterpret_cast<const char*>(check->data()), kCheckBytes);
    return std::string(kPassPrefix) + base45Encode(*bytes);
}

Result<DecodedPass> decodePass(std::string_view text)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.remove_suffix(1);
    if (!text.starts_with(kPassPrefix))
        return Message{"pass.foreign", "这不是本社区的通行码（可能是其他二维码）",
                       "This is not a gatepass pass (it is some other QR code)", ""};
    auto bytes = base45Decode(text.substr(kPassPrefix.size()));
    if (!bytes || bytes->size() < 1 + kCheckBytes)
        return damaged();
    if (uint8_t((*bytes)[0]) > kPassFormat)
        return Message{"pass.newer_version", "通行码由更新版本生成，请更新本页面后再扫",
                       "The pass was made by a newer version; update this page and scan again", ""};
    std::string_view payload(bytes->data(), bytes->size() - kCheckBytes);
    auto check = sha256(payload);
    if (!check)
        return digestUnavailable();
    if (std::string_view(reinterpret_cast<const char*>(check->data()), kCheckBytes) != std::string_view(*bytes).substr(payload.size()))
        return damaged();
    return readRecordPayload(payload);
}


Result<std::string> recordPayload(const Person& person, int64_t issuedAtMs)
{
    return recordBytes(person, kPassFormat, issuedAtMs, 0);
}

Result<DecodedPass> readRecordPayload(std::string_view payload)
{
    auto read = readPayload(payload, kPassFormat);
    if (!read)
        return read.error();
    return DecodedPass{std::move(read->person), read->issuedAtMs};
}

// --- format 2: the live sealed pass ------------------------------------------------------

Result<std::string> livePassPlain(const Person& person, int64_t issuedAtMs, int64_t madeAtMs)
{
    return recordBytes(person, kSealedPassFormat, issuedAtMs, madeAtMs);
}

std::string frameSealedPass(const KeyId& keyId, std::string_view sealed)
{
    std::string bytes(reinterpret_cast<const char*>(keyId.data()), keyId.size());
    bytes += sealed;
    return std::string(kSealedPassPrefix) + base45Encode(bytes);
}

Result<FramedPass> unframeSealedPass(std::string_view text)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.remove_suffix(1);
    if (!text.starts_with(kSealedPassPrefix))
        return Message{"pass.foreign", "这不是本社区的通行码（可能是其他二维码）",
                       "This is not a gatepass pass (it is some other QR code)", ""};
    auto bytes = base45Decode(text.substr(kSealedPassPrefix.size()));
    // The smallest plain record (format, flags, types, two times, four short fields) is 15 bytes.
    if (!bytes || bytes->size() < kKeyIdBytes + kSealOverheadBytes + 15)
        return damaged();
    FramedPass f;
    std::copy_n(bytes->begin(), kKeyIdBytes, f.keyId.begin());
    f.sealed = bytes->substr(kKeyIdBytes);
    return f;
}

Result<LivePass> readLivePassPlain(std::string_view plain, int64_t nowMs, const LiveWindow& window)
{
    if (plain.empty())
        return damaged();
    if (uint8_t(plain[0]) > kSealedPassFormat)
        return Message{"pass.newer_version", "通行码由更新版本生成，请更新本页面后再扫",
                       "The pass was made by a newer version; update this page and scan again", ""};
    auto pass = readPayload(plain, kSealedPassFormat);
    if (!pass)
        return pass.error();
    if (pass->madeAtMs > nowMs + int64_t(window.maxAheadSeconds) * 1000)
        return Message{"pass.clock", "通行码的生成时间晚于本机时间：请核对手机或本机的时钟",
                       "The pass was made later than this console's time: check the phone's clock or this console's", ""};
    if (nowMs - pass->madeAtMs > int64_t(window.maxAgeSeconds) * 1000)
        return Message{"pass.stale", "请出示实时通行码（此码已过期，可能是截图）",
                       "Show the live pass (this one has expired; it may be a screenshot)", ""};
    return pass;
}

Message plainPassAtEnrolledGate()
{
    return Message{"pass.plain", "此通行码为旧版（未加密）：请居民重新打开登记页面，出示实时通行码",
                   "This is an old unsealed pass: ask the resident to reopen the registration page and show the live pass", ""};
}

Message damagedPass() { return damaged(); }

std::string packPassText(std::string_view utf8) { return packText(utf8); }
std::optional<std::string> unpackPassText(std::string_view packed) { return unpackText(packed); }

Message otherCommunityPass()
{
    return Message{"pass.other_community", "这是其他社区的通行码，本门岗无法读取",
                   "This pass belongs to another community; this gate cannot read it", ""};
}

} // namespace gatepass
