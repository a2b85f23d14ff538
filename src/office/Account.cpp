#include "Account.h"

#include "Community.h"

#include <utf8.h>

#include <algorithm>

namespace gatepass::office {

std::string_view roleKey(Role role)
{
    switch (role) {
    case Role::Admin: return "admin";
    case Role::Staff: return "staff";
    case Role::Viewer: return "viewer";
    }
    return "viewer";
}

std::optional<Role> roleFromKey(std::string_view key)
{
    for (Role r : {Role::Admin, Role::Staff, Role::Viewer})
        if (roleKey(r) == key)
            return r;
    return std::nullopt;
}

std::optional<Message> checkAccountName(std::string_view name)
{
    if (checkName(name, "account"))
        return Message{"account.name", "用户名须为 1–40 个字符，不含控制字符", "A user name is 1–40 characters without control characters", ""};
    return std::nullopt;
}

std::optional<Message> checkPassword(std::string_view password)
{
    if (!utf8::is_valid(password.begin(), password.end()))
        return Message{"account.password_encoding", "密码不是有效的 UTF-8 文本", "The password is not valid UTF-8 text", ""};
    if (password.size() < 10)
        return Message{"account.password_short", "密码至少 10 个字符", "A password has at least 10 characters", ""};
    if (password.size() > 1024)
        return Message{"account.password_long", "密码最多 1024 字节", "A password has at most 1024 bytes", ""};
    return std::nullopt;
}

Message badRole(std::string_view typed)
{
    return {"account.role", "角色须为 admin（管理员）、staff（工作人员）或 viewer（查看者），不是“" + std::string(typed) + "”",
            "The role is admin, staff or viewer, not \"" + std::string(typed) + "\"", ""};
}

Message accountExists(std::string_view name)
{
    return {"account.exists", "已有名为“" + std::string(name) + "”的账号，未作更改",
            "An account named \"" + std::string(name) + "\" already exists; nothing changed", ""};
}

std::optional<Message> checkNewPassword(std::string_view password, std::string_view again)
{
    if (password != again)
        return Message{"account.password_mismatch", "两次输入的密码不一致，未作更改", "The two passwords typed differ; nothing changed", ""};
    return checkPassword(password);
}

Message accountNotFound(std::string_view name)
{
    return {"account.not_found", "没有名为“" + std::string(name) + "”的账号", "No account named \"" + std::string(name) + "\"", ""};
}

Message lastAdmin()
{
    return {"account.last_admin", "这是最后一个可用的管理员账号：不能停用或改为其他角色，未作更改",
            "This is the last enabled administrator: it cannot be disabled or given another role; nothing changed", ""};
}

Message adminCommunities()
{
    return {"account.admin_communities", "管理员可查看所有社区，不能限定社区", "An administrator sees every community and cannot be limited to some", ""};
}

bool Session::mayRead(std::string_view community) const
{
    if (role == Role::Admin || communities.empty())
        return true;
    return std::find(communities.begin(), communities.end(), community) != communities.end();
}

std::string joinCommunities(const std::vector<std::string>& codes)
{
    std::string out;
    for (const std::string& c : codes)
        out += (out.empty() ? "" : ",") + c;
    return out;
}

std::vector<std::string> splitCommunities(std::string_view stored)
{
    std::vector<std::string> out;
    while (!stored.empty()) {
        const size_t comma = stored.find(',');
        out.emplace_back(stored.substr(0, comma));
        stored = comma == std::string_view::npos ? std::string_view() : stored.substr(comma + 1);
    }
    return out;
}

} // namespace gatepass::office
