#include "Enrollment.h"

#include "Base64Url.h"
#include "EnrollmentCode.h"
#include "Feed.h"
#include "VisitorUse.h"

#include <nlohmann/json.hpp>
#include <qrencode.h>

#include <algorithm>
#include <memory>

namespace gatepass::office {

using nlohmann::json;

std::string newGateKey() { return crypto::toBase64Url(crypto::randomBytes(32)); }

std::string enrollmentJson(const EnrollmentInput& in)
{
    json keys = json::array();
    for (const HeldKey& k : in.keys) {
        json key{{"id", k.keyId}, {"secret_key", crypto::toBase64Url(k.pair.secretKey)}, {"public_key", crypto::toBase64Url(k.pair.publicKey)}};
        if (k.untilMs != 0)
            key["until"] = k.untilMs;
        keys.push_back(std::move(key));
    }
    json j{{"v", 1},
           {"community", {{"code", in.community.code}, {"name", in.community.name}}},
           {"site", in.community.site},
           {"gate", in.gate},
           {"keys", std::move(keys)},
           {"gate_key", in.gateKey},
           {"retention_days", in.community.retentionDays}};
    if (!in.uploadUrl.empty()) {
        j["upload_url"] = in.uploadUrl;
        j["token"] = in.token;
    }
    if (in.revocations) {
        json rows = json::array();
        for (const Revocation& r : *in.revocations)
            rows.push_back(toJson(r));
        j["revocations"] = std::move(rows);
    }
    return j.dump();
}

namespace {

// The code's length for JSON of `jsonBytes` (EnrollmentCode.h): "GPE1:" +
// unpadded base64url of salt (16) ‖ nonce (24) ‖ the box (the JSON + a 16-byte MAC).
size_t codeChars(size_t jsonBytes)
{
    const size_t bytes = 16 + 24 + jsonBytes + 16;
    return kEnrollmentPrefix.size() + (bytes * 4 + 2) / 3;
}

// The input with only the newest revocations that keep the code within kMaxEnrollmentCodeChars:
// withdrawals first, then visitor passes' uses (VisitorUse.h), so a busy week of
// visitors never pushes a lost card out of the code.
EnrollmentInput withRevocationsThatFit(const EnrollmentInput& input)
{
    EnrollmentInput in = input;
    if (!in.revocations)
        return in;
    std::vector<Revocation> all = std::move(*in.revocations);
    std::stable_sort(all.begin(), all.end(), [](const Revocation& a, const Revocation& b) {
        return std::pair{isVisitorUse(a), -a.revokedAt} < std::pair{isVisitorUse(b), -b.revokedAt};
    });
    in.revocations = std::vector<Revocation>{};
    size_t json = enrollmentJson(in).size(); // with "revocations":[]
    for (Revocation& r : all) {
        const size_t row = toJson(r).dump().size() + (in.revocations->empty() ? 0 : 1); // a comma before every row but the first
        if (codeChars(json + row) > kMaxEnrollmentCodeChars)
            break;
        json += row;
        in.revocations->push_back(std::move(r));
    }
    return in;
}

} // namespace

Result<Enrollment> makeEnrollment(const EnrollmentInput& input)
{
    Enrollment e;
    const EnrollmentInput fitted = withRevocationsThatFit(input);
    e.revocationsHeld = input.revocations ? int(input.revocations->size()) : 0;
    e.revocationsCarried = fitted.revocations ? int(fitted.revocations->size()) : 0;
    e.passphrase = crypto::newPassphrase();
    std::string text = enrollmentJson(fitted);
    if (codeChars(text.size()) > kMaxEnrollmentCodeChars)
        return Message{"enroll.too_long", "登记码太长（社区名、网址或门岗名过长）", "The enrollment code is too long (the community name, address or gate name is too long)", ""};
    auto code = crypto::sealEnrollment(text, e.passphrase);
    crypto::wipe(text);
    if (!code)
        return code.error();
    e.code = std::move(*code);
    return e;
}

Result<std::string> qrSvg(std::string_view text)
{
    std::string s(text);
    std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(QRcode_encodeString8bit(s.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
    if (!qr)
        return Message{"enroll.qr", "登记码太长，无法生成二维码", "The enrollment code is too long for a QR symbol", ""};
    const int n = qr->width, quiet = 4, size = n + 2 * quiet;
    std::string path;
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x)
            if (qr->data[y * n + x] & 1) // bit 0: dark module
                path += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h1v1h-1z";
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " + std::to_string(size) +
           "\" width=\"" + std::to_string(size * 6) + "\" height=\"" + std::to_string(size * 6) +
           "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path +
           "\"/></svg>\n";
}

} // namespace gatepass::office
