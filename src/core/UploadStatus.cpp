#include "UploadStatus.h"

#include <algorithm>
#include <string>

namespace gatepass {

std::optional<int> retryAfterSeconds(std::string_view h)
{
    while (!h.empty() && (h.front() == ' ' || h.front() == '\t'))
        h.remove_prefix(1);
    while (!h.empty() && (h.back() == ' ' || h.back() == '\t'))
        h.remove_suffix(1);
    if (h.empty() || h.size() > 9 || !std::all_of(h.begin(), h.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    return std::clamp(std::stoi(std::string(h)), 1, kMaxRetryAfterSeconds);
}

UploadOutcome uploadOutcome(int status, bool already, std::string_view retryAfter)
{
    auto kept = [](std::string code, std::string zh, std::string en) {
        // Every failure keeps the batch in the queue: say so, so nobody re-exports by hand.
        return UploadOutcome{false, Message{std::move(code), zh + "批次已保留，稍后自动重试。", en + " The batch is kept and will be retried.", ""}};
    };
    if (status >= 200 && status < 300)
        return already ? UploadOutcome{true, {"upload.already", "办公室此前已收到此批次。", "The office already had this batch.", ""}}
                       : UploadOutcome{true, {"upload.ok", "已上传到社区办公室。", "Uploaded to the community office.", ""}};
    switch (status) {
    case 0:
        return kept("upload.offline", "无法连接社区办公室（网络不通或地址无法访问）。",
                    "Cannot reach the community office (no network, or the address does not answer).");
    case 401:
        return UploadOutcome{false, {"upload.revoked",
                                     "办公室不认可本门岗的上传凭证（已注销或未知）：请到社区办公室重新登记本门岗。批次已保留。",
                                     "The office does not accept this gate's upload token (revoked or unknown): enrol this gate "
                                     "again at the community office. The batch is kept.",
                                     ""}};
    case 403:
        return UploadOutcome{false, {"upload.other_community",
                                     "此批次属于其他社区或门岗，办公室拒收：请检查本门岗的社区设置。批次已保留。",
                                     "The office refused the batch: it names another community or gate. Check this gate's "
                                     "community settings. The batch is kept.",
                                     ""}};
    case 400:
        return UploadOutcome{false, {"upload.damaged", "办公室认为此批次已损坏或被改动，拒收。批次已保留，请导出文件交给办公室核对。",
                                     "The office found the batch damaged or altered and refused it. The batch is kept; export "
                                     "the file for the office to check.",
                                     ""}};
    case 413:
        return UploadOutcome{false, {"upload.too_large", "批次超过办公室的大小上限，拒收。批次已保留，请导出文件用 U 盘交给办公室。",
                                     "The batch is over the office's size limit. The batch is kept; export the file and take it "
                                     "to the office on a USB stick.",
                                     ""}};
    case 429:
        if (auto wait = retryAfterSeconds(retryAfter)) {
            std::string n = std::to_string(*wait);
            UploadOutcome o = kept("upload.rate_limited", "上传过于频繁，办公室要求等待 " + n + " 秒。",
                                   "Too many uploads; the office asks the gate to wait " + n + " s.");
            o.retryAfterMs = int64_t(*wait) * 1000;
            return o;
        }
        return kept("upload.rate_limited", "上传过于频繁，办公室要求稍候。", "Too many uploads; the office asks the gate to wait.");
    default:
        if (status >= 500)
            return kept("upload.office_error", "社区办公室的服务暂时出错（" + std::to_string(status) + "）。",
                        "The community office's service failed (" + std::to_string(status) + ").");
        return kept("upload.failed", "上传未被接受（" + std::to_string(status) + "）。",
                    "The upload was not accepted (" + std::to_string(status) + ").");
    }
}

} // namespace gatepass
