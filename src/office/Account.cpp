#include "Account.h"

#include "Community.h"

#include <utf8.h>

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

} // namespace gatepass::office
