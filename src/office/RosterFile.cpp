#include "RosterFile.h"

#include <iconv.h>

#include <cerrno>
#include <optional>

namespace gatepass::office {

namespace {

// The whole of `bytes` from `from` to UTF-8, or nullopt at the first sequence
// that is not of that encoding (or cut short at the end).
std::optional<std::string> toUtf8(std::string_view bytes, const char* from)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == iconv_t(-1))
        return std::nullopt;
    std::string out(bytes.size() * 2 + 16, '\0'); // GBK's 2 bytes become 3 in UTF-8; grown below if ever short
    char* in = const_cast<char*>(bytes.data());
    size_t inLeft = bytes.size(), done = 0;
    bool ok = true;
    while (inLeft > 0) {
        char* to = out.data() + done;
        size_t toLeft = out.size() - done;
        const size_t r = iconv(cd, &in, &inLeft, &to, &toLeft);
        done = out.size() - toLeft;
        if (r != size_t(-1))
            continue;
        if (errno == E2BIG) {
            out.resize(out.size() * 2);
            continue;
        }
        ok = false; // EILSEQ: not this encoding; EINVAL: cut short
        break;
    }
    iconv_close(cd);
    if (!ok)
        return std::nullopt;
    out.resize(done);
    return out;
}

} // namespace

Result<RosterText> rosterText(std::string_view bytes)
{
    // A NUL is no text: UTF-16 files and spreadsheets' binary formats have many.
    if (bytes.find('\0') == std::string_view::npos) {
        if (auto utf8 = toUtf8(bytes, "UTF-8"))
            return RosterText{std::move(*utf8), "UTF-8"};
        if (auto gbk = toUtf8(bytes, "GB18030"))
            return RosterText{std::move(*gbk), "GBK"};
    }
    return Message{"roster.encoding",
                   "无法读取文件的编码：请在 Excel 中“另存为”CSV（逗号分隔）或 CSV UTF-8 后再导入",
                   "The file's encoding cannot be read: in Excel, \"Save As\" CSV (comma delimited) or CSV UTF-8, then import that", ""};
}

} // namespace gatepass::office
