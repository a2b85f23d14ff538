#include "PassCrypto.h"

#include "Hex.h"

#include <algorithm>

namespace gatepass {

Message cryptoUnavailable()
{
    return Message{"crypto.unavailable", "加密组件未加载，无法处理实时通行码：请刷新页面",
                   "The sealing component is not loaded, so live passes cannot be made or read: reload the page", ""};
}

Result<std::string> openSealedPlain(std::string_view text, const std::vector<CommunityKey>& keys, const PassCrypto& crypto,
                                    int64_t nowMs)
{
    auto framed = unframeSealedPass(text);
    if (!framed)
        return framed.error();
    if (keys.empty())
        return Message{"pass.not_enrolled", "本门岗尚未登记社区密钥，无法读取实时通行码：请在“设置”中登记本门岗",
                       "This gate holds no community key and cannot read live passes: enrol it under Settings", ""};
    std::string id = hexOf(std::string_view(reinterpret_cast<const char*>(framed->keyId.data()), framed->keyId.size()));
    auto key = std::find_if(keys.begin(), keys.end(), [&](const CommunityKey& k) { return k.id == id; });
    if (key == keys.end())
        return otherCommunityPass();
    if (key->untilMs != 0 && nowMs > key->untilMs)
        return Message{"pass.retired_key", "社区已更换密钥，此通行码已失效：请重新扫描门口的社区海报，再出示新的通行码",
                       "The community has changed its key and this pass no longer opens: scan the community poster at the gate "
                       "again and show the new pass",
                       ""};
    if (!crypto.available())
        return cryptoUnavailable();
    auto plain = crypto.open(framed->sealed, key->publicKey, key->secretKey);
    if (!plain)
        return damagedPass();
    return std::move(*plain);
}

Result<LivePass> openLivePass(std::string_view text, const std::vector<CommunityKey>& keys, const PassCrypto& crypto,
                              int64_t nowMs, const LiveWindow& window)
{
    auto plain = openSealedPlain(text, keys, crypto, nowMs);
    if (!plain)
        return plain.error();
    return readLivePassPlain(*plain, nowMs, window);
}

} // namespace gatepass
