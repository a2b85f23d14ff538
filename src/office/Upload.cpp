#include "Upload.h"

#include "Feed.h"
#include "RecordJson.h"
#include "SealedBox.h"
#include "Token.h"
#include "VisitorUse.h"

namespace gatepass::office {

using nlohmann::json;

UploadReply errorReply(int status, const Message& message)
{
    return UploadReply{status, json{{"ok", false}, {"error", toJson(message)}}};
}

Message tooLarge(size_t maxBytes)
{
    std::string mb = std::to_string(maxBytes / (1u << 20)) + " MiB (" + std::to_string(maxBytes) + " bytes)";
    return Message{"upload.too_large", "批次文件超过上限 " + mb + "，请分批导出或用 U 盘交给办公室",
                   "The batch is over the limit of " + mb + "; export in parts or bring it on a USB stick", ""};
}

UploadReply Uploads::handle(const UploadRequest& req, const Clock& now)
{
    constexpr std::string_view kBearer = "Bearer ";
    std::optional<Gate> gate;
    if (req.authorization.starts_with(kBearer))
        gate = db_.gateByTokenHash(crypto::tokenHash(req.authorization.substr(kBearer.size())));
    if (!gate)
        return errorReply(401, {"upload.unauthorized", "门岗未登记或已被撤销，请在办公室重新登记",
                                "This gate is not enrolled or was revoked; enroll it again at the office", ""});

    if (int wait = rate_.take(gate->community + "\n" + gate->name, now.unixMs)) {
        auto reply = errorReply(429, {"upload.rate_limited", "上传过于频繁，请 " + std::to_string(wait) + " 秒后再试",
                                      "Too many uploads; try again in " + std::to_string(wait) + " s", ""});
        reply.retryAfterSeconds = wait;
        return reply;
    }
    if (req.body.size() > options_.maxBytes)
        return errorReply(413, tooLarge(options_.maxBytes));

    // The header first: whose batch it is, and which community's keys open a sealed body.
    auto head = parseBatchHeader(req.body);
    if (!head)
        return errorReply(400, head.error());
    if (const BatchHeader& h = head->header; h.communityCode != gate->community)
        return errorReply(403, {"upload.other_community", "这是其他社区（" + h.communityName + "）的批次，未导入",
                                "This batch belongs to another community (" + h.communityName + "); nothing was imported", ""});
    else if (h.gate != gate->name)
        return errorReply(403, {"upload.other_gate", "批次来自门岗“" + h.gate + "”，与本门岗的登记不符，未导入",
                                "The batch comes from gate \"" + h.gate + "\", not the gate this token enrolled; nothing was imported", ""});
    auto keys = officeBatchKeys(db_, *head);
    if (!keys)
        return errorReply(503, keys.error());
    auto parsed = parseBatch(req.body, *keys);
    if (!parsed)
        return errorReply(parsed.error().code == "crypto.unavailable" ? 503 : 400, parsed.error());
    const BatchHeader& h = parsed->header;

    // The token says which gate is calling; only the gate's key says it made the file.
    if (auto m = authenticateBatch(req.body, *parsed, gate->gateKey, crypto::passCrypto()))
        return errorReply(m->code == "batch.unauthenticated" ? 401 : 503, *m);
    if (auto m = checkBatchTimes(*parsed, now))
        return errorReply(400, *m);
    auto report = db_.merge(*parsed, req.body, now);
    if (!report)
        return errorReply(report.error().code.starts_with("batch.") ? 400 : 503, report.error());
    auto feed = db_.feed(gate->community);
    if (!feed) // merged already: the gate's retry is answered "already", with the feed
        return errorReply(503, feed.error());
    // A visitor pass's use only while the pass could still open (VisitorUse.h).
    feed->revocations = withoutSpentUses(std::move(feed->revocations), now.unixMs);

    json body{{"ok", true},
              {"already", report->alreadyImported},
              {"batch", {{"community", h.communityCode}, {"gate", h.gate}, {"seq", h.seq}}},
              {"added", {{"persons", report->personsAdded}, {"persons_updated", report->personsUpdated}, {"entries", report->entriesAdded}}},
              {"deleted", {{"persons", report->personsDeleted}}}, // deleted at the gate (Batch.h)
              {"conflicts", toJson(report->conflicts)}};
    body.update(feedJson(*feed)); // revocations, watch_list, roster: the shape the gate reads (Feed.h)
    return UploadReply{200, std::move(body)};
}

} // namespace gatepass::office
