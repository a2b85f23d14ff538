#include "Dashboard.h"

#include "DocNumber.h"
#include "ExportCsv.h"
#include "Feed.h"
#include "Password.h"
#include "Policy.h"
#include "RecordJson.h"
#include "Roster.h"
#include "RosterFile.h"
#include "RowRef.h"
#include "Sodium.h"
#include "Store.h" // searchTerm
#include "Token.h"
#include "Words.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <sodium.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

namespace gatepass::office {

namespace {

using nlohmann::json;

constexpr const char* kCookie = "gatepass_office";

json words(std::string_view zh, std::string_view en) { return json{{"zh", zh}, {"en", en}}; }

// The page's words: every label it shows comes from here, in both languages.
const json& pageWords()
{
    static const json w = {
        {"title", words("社区办公室", "Community office")},
        {"sign_in", words("登录", "Sign in")},
        {"user", words("用户名", "User name")},
        {"password", words("密码", "Password")},
        {"sign_out", words("退出登录", "Sign out")},
        {"overview", words("概览", "Overview")},
        {"audit", words("审计日志", "Audit log")},
        {"gate_actions", words("门岗操作记录", "Staff actions at the gates")},
        {"gate_actions_note", words("门岗上传批次时一并上传；按社区保存期限删除；不含个人信息",
                                    "Uploaded with the gates' batches; deleted after the community's retention period; no personal data")},
        {"gate", words("门岗", "Gate")},
        {"staff", words("值班人员", "Staff")},
        {"community", words("社区", "Community")},
        {"entries_today", words("今日出入", "Entries today")},
        {"inside_now", words("当前在内", "Inside now")},
        {"persons", words("登记人数", "Persons registered")},
        {"fever_today", words("今日发热", "Fever today")},
        {"under_observation", words("居家观察", "Under home observation")},
        {"returned_recently", words("14 天内返回", "Returned within 14 days")},
        {"observation_list", words("居家观察人员", "Persons under home observation")},
        {"observation_note", words("号码已遮挡；只显示楼栋，不显示门牌", "Numbers masked; the building only, not the door")},
        {"observation_since", words("观察开始", "Since")},
        {"building", words("楼栋", "Building")},
        {"last_move", words("最近出入", "Last movement")},
        {"observation_empty", words("没有居家观察人员", "Nobody is under home observation")},
        {"chart_numbers", words("每日出入人次（图表中的数字）", "Entries a day (the chart's numbers)")},
        {"entries_by_day", words("近 14 天每日出入", "Entries a day, last 14 days")},
        {"day", words("日期", "Day")},
        {"entries", words("出入", "Entries")},
        {"all_gates", words("全部门岗", "All gates")},
        {"persons_by_type", words("按人员类别", "Persons by type")},
        {"type", words("类别", "Type")},
        {"registered", words("登记", "Registered")},
        {"gates", words("门岗", "Gates")},
        {"gate", words("门岗", "Gate")},
        {"last_upload", words("最近上传", "Last upload")},
        {"status", words("状态", "Status")},
        {"at", words("时间", "When")},
        {"account", words("账号", "Account")},
        {"action", words("操作", "Action")},
        {"address", words("地址", "Address")},
        {"no_communities", words("还没有登记社区（gatepass office add-community）", "No community registered yet (gatepass office add-community)")},
        {"counts_only", words("仅显示统计数字，不显示个人信息", "Counts only: no personal data is shown")},
        {"counts_and_observation", words("统计数字，以及居家观察人员名单（号码已遮挡）", "Counts, and the persons under home observation (numbers masked)")},
        {"updated", words("更新于", "Updated")},
        {"detail", words("对象", "About")},
        {"watch_list", words("关注名单", "Watch list")},
        {"watch_note", words("名单中的人在门岗扫码时显示红色并附原因；门岗下次上传后生效",
                             "Gates show a listed person red with the reason, from each gate's next upload")},
        {"doc_number", words("证件号码", "Document number")},
        {"reason", words("原因", "Reason")},
        {"added_at", words("加入时间", "Added")},
        {"add", words("加入关注名单", "Add to the watch list")},
        {"remove", words("移出", "Remove")},
        {"watch_empty", words("关注名单为空", "The watch list is empty")},
        {"read_only", words("您的账号只能查看", "Your account may only read this")},
        {"persons_search", words("人员查询", "Person search")},
        {"search_hint", words("输入姓名中的字，或证件号码、电话的后 4 位以上", "Part of a name, or the last 4 or more digits of a document or phone number")},
        {"search", words("查询", "Search")},
        {"name", words("姓名", "Name")},
        {"phone", words("电话", "Phone")},
        {"person_type", words("人员类别", "Type")},
        {"record_updated", words("登记更新", "Record updated")},
        {"show_number", words("显示完整号码", "Show full number")},
        {"show_number_note", words("显示完整号码会记入审计日志", "Showing a full number is written to the audit log")},
        {"no_results", words("没有找到", "Nobody found")},
        {"export", words("导出 CSV（Excel 可打开）", "Export CSV (opens in Excel)")},
        {"export_persons", words("导出人员", "Export persons")},
        {"export_entries", words("导出出入记录", "Export entries")},
        {"roster", words("导入花名册", "Import the roster")},
        {"roster_note", words("Excel 另存为 CSV（UTF-8 或 GBK 均可）；第一行为列名：姓名、证件类型、证件号码、电话……；有一行出错则全部不导入",
                              "Save from Excel as CSV (UTF-8 or GBK); line 1 names the columns: Name, Document type, Document number, Phone…; "
                              "one bad line and nothing is imported")},
        {"roster_file", words("CSV 文件", "CSV file")},
        {"choose_file", words("选择文件…", "Choose a file…")},
        {"roster_import", words("导入", "Import")},
        {"line", words("行", "Line")},
        {"problem", words("问题", "Problem")},
        {"accounts", words("账号管理", "Accounts")},
        {"accounts_note", words("只有管理员可以管理账号；每次更改都记入审计日志。最后一个可用的管理员不能停用或降级",
                                "Only administrators manage accounts; every change is written to the audit log. The last enabled administrator cannot be disabled or demoted")},
        {"role", words("角色", "Role")},
        {"communities", words("可查看的社区", "Communities")},
        {"communities_limit", words("限定社区（不选则为全部社区；管理员总是全部）", "Limit to communities (none ticked: every community; an administrator always sees all)")},
        {"last_sign_in", words("最近登录", "Last sign-in")},
        {"new_password", words("密码（至少 10 个字符）", "Password (at least 10 characters)")},
        {"password_again", words("再次输入密码", "The password again")},
        {"account_add", words("添加账号", "Add an account")},
        {"apply", words("确定", "Apply")},
        {"cancel", words("取消", "Cancel")},
        {"export_note", words("导出文件含完整证件号码，每次导出记入审计日志", "Exports hold full document numbers; each export is written to the audit log")},
    };
    return w;
}

json actionWords(std::string_view action)
{
    if (action == audit::kSignIn) return words("登录", "Signed in");
    if (action == audit::kSignInFailed) return words("登录失败（密码错误或无此账号）", "Sign-in failed (wrong password or no such account)");
    if (action == audit::kLocked) return words("账号锁定（连续密码错误）", "Account locked (repeated wrong passwords)");
    if (action == audit::kSignInWhileLocked) return words("锁定期间尝试登录", "Sign-in tried while locked");
    if (action == audit::kSignOut) return words("退出登录", "Signed out");
    if (action == audit::kSignInDisabled) return words("已停用的账号尝试登录", "Sign-in tried by a disabled account");
    if (action == audit::kAccountAdded) return words("创建账号", "Account created");
    if (action == audit::kAccountRole) return words("更改角色", "Role changed");
    if (action == audit::kAccountPassword) return words("重设密码", "Password reset");
    if (action == audit::kAccountDisabled) return words("停用账号", "Account disabled");
    if (action == audit::kAccountEnabled) return words("启用账号", "Account enabled");
    if (action == audit::kAccountUnlocked) return words("解除锁定", "Account unlocked");
    if (action == audit::kAccountCommunities) return words("更改可查看的社区", "Communities changed");
    if (action == audit::kWatchAdded) return words("加入关注名单", "Added to the watch list");
    if (action == audit::kWatchRemoved) return words("移出关注名单", "Removed from the watch list");
    if (action == audit::kUnmasked) return words("显示完整证件号码", "Full document number shown");
    if (action == audit::kExported) return words("导出 CSV", "CSV exported");
    if (action == audit::kRosterImported) return words("导入花名册", "Roster imported");
    return words(action, action);
}

json roleWords(Role r)
{
    switch (r) {
    case Role::Admin: return words("管理员", "Administrator");
    case Role::Staff: return words("工作人员", "Staff");
    case Role::Viewer: return words("查看者", "Viewer");
    }
    return words("", "");
}

// Editing the watch list, searching persons, exporting, importing: staff and admins.
bool mayHandlePersons(Role r) { return r == Role::Admin || r == Role::Staff; }

// "may": what the page offers this account; the service checks each call again.
json accountJson(const Session& s)
{
    const bool persons = mayHandlePersons(s.role), admin = s.role == Role::Admin;
    return json{{"name", s.account}, {"role", roleKey(s.role)}, {"role_words", roleWords(s.role)},
                {"communities", admin ? std::vector<std::string>{} : s.communities},
                {"may", {{"audit", admin}, {"accounts", admin}, {"persons", persons}, {"edit_watch", persons}, {"export", persons}, {"import", persons}}}};
}

const Message kSignedOut{"office.signed_out", "请先登录（登录已失效或无效）", "Please sign in (your sign-in has ended or is not valid)", ""};
const Message kSignInFailed{"office.sign_in_failed", "用户名或密码不正确", "Wrong user name or password", ""};
const Message kDisabled{"office.account_disabled", "此账号已停用，请联系管理员", "This account is disabled: ask an administrator", ""};
const Message kCrossOrigin{"office.cross_origin", "请求不是来自本页面，已拒绝", "Refused: the request did not come from this page", ""};
const Message kBadRequest{"office.bad_request", "请求格式不正确", "The request is not in the expected form", ""};

Message forbidden(Role role)
{
    return {"office.forbidden", "您的账号角色（" + roleWords(role)["zh"].get<std::string>() + "）无权查看此页",
            "Your account's role (" + roleWords(role)["en"].get<std::string>() + ") may not see this page", ""};
}

Message forbiddenAction(Role role)
{
    return {"office.forbidden", "您的账号角色（" + roleWords(role)["zh"].get<std::string>() + "）无权进行此操作",
            "Your account's role (" + roleWords(role)["en"].get<std::string>() + ") may not do this", ""};
}

Message forbiddenCommunity(std::string_view code)
{
    return {"office.forbidden_community", "您的账号无权查看社区 " + std::string(code) + " 的数据",
            "Your account may not see the data of community " + std::string(code), "community"};
}

Message noCommunity(std::string_view code)
{
    return {"office.no_community", "没有这个社区：" + std::string(code), "No such community: " + std::string(code), "community"};
}

const Message kStaleRef{"office.stale_ref", "列表已过期（服务已重启或列表已变），请刷新后再试",
                        "This list is out of date (the service restarted or the list changed): reload and try again", ""};
const Message kNotOnList{"office.not_on_list", "此号码已不在关注名单中", "This number is no longer on the watch list", ""};
const Message kNoPerson{"office.person_not_found", "没有找到此人（可能已按保存期限删除）",
                        "No such person (perhaps deleted at the end of the retention period)", ""};
const Message kNoFile{"roster.no_file", "请选择要导入的 CSV 文件", "Choose the CSV file to import", "data"};
const Message kSearchShort{"office.search_short", "请输入姓名中的字，或证件号码、电话的后 4 位以上",
                           "Type part of a name, or the last 4 or more digits of a document or phone number", "query"};

Message locked(int64_t until, int64_t now, const DashboardOptions& o)
{
    const int64_t minutes = std::max<int64_t>(1, (until - now + 59'999) / 60'000);
    const std::string at = formatLocalTime(until, o.utcOffsetMinutes).substr(11);
    const std::string n = std::to_string(o.signIn.lockAfterFailures);
    return {"office.account_locked",
            "连续 " + n + " 次密码错误，此账号已锁定 " + std::to_string(o.signIn.lockMs / 60'000) + " 分钟：请于 " + at + " 后再试（约 " +
                std::to_string(minutes) + " 分钟）",
            "Locked for " + std::to_string(o.signIn.lockMs / 60'000) + " minutes after " + n + " wrong passwords: try again after " + at +
                " (about " + std::to_string(minutes) + " min)",
            ""};
}

void secure(httplib::Response& res)
{
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Referrer-Policy", "no-referrer");
}

void sendJson(httplib::Response& res, int status, const json& body)
{
    secure(res);
    res.status = status;
    res.set_content(body.dump(), "application/json; charset=utf-8");
}

void sendError(httplib::Response& res, int status, const Message& m) { sendJson(res, status, json{{"ok", false}, {"error", toJson(m)}}); }

// The request's Host without its port, lower-case.
std::string hostName(const httplib::Request& req)
{
    std::string host = req.get_header_value("Host");
    if (host.starts_with('[')) // [::1]:8080
        return host.substr(0, host.find(']') + 1);
    host = host.substr(0, host.find(':'));
    for (char& c : host)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return host;
}

bool isLocalHost(const std::string& host) { return host == "localhost" || host == "127.0.0.1" || host == "[::1]"; }

// A POST must name this page's origin: the Origin header's host[:port] is the Host
// the request went to (behind a TLS proxy the scheme differs, the host does not).
bool sameOrigin(const httplib::Request& req)
{
    const std::string origin = req.get_header_value("Origin"), host = req.get_header_value("Host");
    if (origin.empty() || host.empty())
        return false;
    for (std::string_view scheme : {"http://", "https://"})
        if (origin.size() == scheme.size() + host.size() && origin.starts_with(scheme) && origin.ends_with(host))
            return true;
    return false;
}

// The session token from the Cookie header ("a=1; gatepass_office=TOKEN").
std::string cookieToken(const httplib::Request& req)
{
    const std::string header = req.get_header_value("Cookie");
    const std::string want = std::string(kCookie) + "=";
    size_t at = 0;
    while (at < header.size()) {
        size_t end = header.find(';', at);
        if (end == std::string::npos)
            end = header.size();
        std::string_view part(header.data() + at, end - at);
        while (!part.empty() && part.front() == ' ')
            part.remove_prefix(1);
        if (part.starts_with(want))
            return std::string(part.substr(want.size()));
        at = end + 1;
    }
    return "";
}

std::string cookie(const httplib::Request& req, const std::string& value, int64_t maxAgeSeconds)
{
    std::string c = std::string(kCookie) + "=" + value + "; Path=/office/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(maxAgeSeconds);
    if (!isLocalHost(hostName(req)))
        c += "; Secure";
    return c;
}

std::optional<std::string> readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Asset {
    std::string path, file, type;
    std::string body;
};

class Dashboard {
public:
    Dashboard(OfficeDb& db, DashboardOptions options) : db_(db), o_(std::move(options)) {}

    std::optional<Session> session(const httplib::Request& req, int64_t now)
    {
        const std::string token = cookieToken(req);
        if (token.empty() || token.size() > 64)
            return std::nullopt;
        return db_.session(crypto::tokenHash(token), now);
    }

    // The session, or the 401 already sent: "quiet" when no cookie came at
    // all (the sign-in screen needs no message then); an expired, ended or
    // forged one is said (the page goes back to sign-in with these words).
    std::optional<Session> require(const httplib::Request& req, httplib::Response& res, int64_t now)
    {
        auto s = session(req, now);
        if (!s)
            sendJson(res, 401, json{{"ok", false}, {"error", toJson(kSignedOut)}, {"quiet", cookieToken(req).empty()}});
        return s;
    }

    // Writes the audit row of an action. False, with the 503 already sent, when
    // the log could not keep it: an action that is not logged gets no answer.
    [[nodiscard]] bool audited(httplib::Response& res, const AuditEvent& e)
    {
        if (auto r = db_.addAudit(e); !r) {
            sendError(res, 503, r.error());
            return false;
        }
        return true;
    }

    void signIn(const httplib::Request& req, httplib::Response& res)
    {
        const int64_t now = Clock::system().unixMs;
        json body = json::parse(req.body, nullptr, false);
        if (!body.is_object() || !body.contains("user") || !body["user"].is_string() || !body.contains("password") ||
            !body["password"].is_string())
            return sendError(res, 400, kBadRequest);
        const std::string user = body["user"], password = body["password"];
        if (user.empty() || user.size() > 160 || password.size() > 1024)
            return sendError(res, 401, kSignInFailed);
        auto account = db_.account(user);
        if (!account) {
            crypto::verifyPassword(crypto::decoyPasswordHash(), password); // as long as for a real account
            if (audited(res, {now, user, std::string(audit::kSignInFailed), req.remote_addr}))
                sendError(res, 401, kSignInFailed);
            return;
        }
        if (account->lockedUntil && *account->lockedUntil > now) {
            if (audited(res, {now, user, std::string(audit::kSignInWhileLocked), req.remote_addr}))
                lockedReply(res, *account->lockedUntil, now);
            return;
        }
        if (!crypto::verifyPassword(account->passwordHash, password)) {
            auto after = db_.noteFailedSignIn(user, now, o_.signIn.lockAfterFailures, o_.signIn.lockMs);
            if (!after)
                return sendError(res, 503, after.error());
            if (!audited(res, {now, user, std::string(audit::kSignInFailed), req.remote_addr}))
                return;
            if (after->lockedUntil && *after->lockedUntil > now) {
                // This failure locked it (or a concurrent one did): say so now, not at the next try.
                if (after->failedSignIns != 0 || audited(res, {now, user, std::string(audit::kLocked), req.remote_addr}))
                    lockedReply(res, *after->lockedUntil, now);
                return;
            }
            return sendError(res, 401, kSignInFailed);
        }
        if (account->disabled) { // said only after the right password: a guess learns nothing
            if (audited(res, {now, user, std::string(audit::kSignInDisabled), req.remote_addr}))
                sendError(res, 403, kDisabled);
            return;
        }
        const std::string token = crypto::newToken();
        const int64_t expires = now + o_.signIn.sessionMs;
        if (auto r = db_.noteSignIn(user, now); !r)
            return sendError(res, 503, r.error());
        if (auto r = db_.addSession(crypto::tokenHash(token), user, now, expires); !r)
            return sendError(res, 503, r.error());
        if (!audited(res, {now, user, std::string(audit::kSignIn), req.remote_addr}))
            return;
        res.set_header("Set-Cookie", cookie(req, token, o_.signIn.sessionMs / 1000));
        sendJson(res, 200, json{{"ok", true}, {"account", accountJson(Session{user, account->role, expires, account->communities})}});
    }

    void lockedReply(httplib::Response& res, int64_t until, int64_t now)
    {
        res.set_header("Retry-After", std::to_string(std::max<int64_t>(1, (until - now + 999) / 1000)));
        sendError(res, 429, locked(until, now, o_));
    }

    void signOut(const httplib::Request& req, httplib::Response& res)
    {
        const int64_t now = Clock::system().unixMs;
        auto s = require(req, res, now);
        if (!s)
            return;
        if (auto r = db_.endSession(crypto::tokenHash(cookieToken(req)), now); !r)
            return sendError(res, 503, r.error());
        if (!audited(res, {now, s->account, std::string(audit::kSignOut), req.remote_addr}))
            return;
        res.set_header("Set-Cookie", cookie(req, "", 0));
        sendJson(res, 200, json{{"ok", true}});
    }

    void sessionInfo(const httplib::Request& req, httplib::Response& res)
    {
        auto s = require(req, res, Clock::system().unixMs);
        if (!s)
            return;
        json communities = json::array();
        for (const Community& c : visible(*s))
            communities.push_back({{"code", c.code}, {"name", c.name}});
        sendJson(res, 200, json{{"ok", true}, {"account", accountJson(*s)}, {"communities", communities}});
    }

    void overview(const httplib::Request& req, httplib::Response& res)
    {
        const Clock now{Clock::system().unixMs, o_.utcOffsetMinutes};
        auto s = require(req, res, now.unixMs);
        if (!s)
            return;
        const Date today = now.today();
        json days = json::array();
        for (int i = 0; i < kOverviewDays; ++i)
            days.push_back(Date{today.days - (kOverviewDays - 1) + i}.toString().substr(5)); // MM-DD
        json communities = json::array();
        for (const Community& c : visible(*s)) {
            auto o = db_.overview(c.code, now);
            if (!o)
                return sendError(res, 503, o.error());
            json byType = json::array();
            for (const Choice& t : kPersonTypeChoices) {
                auto n = o->personsByType.find(std::string(t.value));
                auto in = o->insideByType.find(std::string(t.value));
                byType.push_back({{"key", t.value}, {"zh", t.zh}, {"en", t.en},
                                  {"persons", n == o->personsByType.end() ? 0 : n->second},
                                  {"inside", in == o->insideByType.end() ? 0 : in->second}});
            }
            json gates = json::array();
            for (const GateOverview& g : o->gates)
                gates.push_back(gateJson(g, now.unixMs));
            // The chart's empty state, in words: no entry on any of the days shown.
            const bool noEntries = std::ranges::all_of(o->entriesByDay, [](int64_t n) { return n == 0; });
            json row{{"code", c.code}, {"name", c.name}, {"persons", o->persons}, {"under_observation", o->underObservation},
                           {"returned_recently", o->returnedRecently}, {"fever_today", o->feverToday}, {"inside_now", o->insideNow},
                           {"entries_today", o->entriesByDay.back()}, {"entries_by_day", o->entriesByDay},
                           {"entries_empty", noEntries ? words("近 " + std::to_string(kOverviewDays) + " 天没有出入记录",
                                                               "No entries in the last " + std::to_string(kOverviewDays) + " days")
                                                       : json()},
                           {"persons_by_type", byType}, {"gates", gates},
                           {"gates_empty", o->gates.empty() ? words("还没有登记门岗（gatepass office enroll-gate）",
                                                                    "No gate enrolled yet (gatepass office enroll-gate)")
                                                            : json()},
                           {"retention", toJson(retentionPolicy(c.retentionDays, RetentionAt::Office))}};
            // Personal data: staff and admins only; a viewer's reply has no such key at all.
            if (mayHandlePersons(s->role)) {
                auto list = observationJson(c.code, today);
                if (!list)
                    return sendError(res, 503, list.error());
                row["observation"] = std::move(*list);
            }
            communities.push_back(std::move(row));
        }
        // What this page shows of persons, said above it: a viewer's overview holds counts only.
        const json note = mayHandlePersons(s->role) ? pageWords()["counts_and_observation"] : pageWords()["counts_only"];
        sendJson(res, 200, json{{"ok", true}, {"account", accountJson(*s)}, {"days", days}, {"note", note},
                                {"updated_words", formatLocalTime(now.unixMs, o_.utcOffsetMinutes)},
                                {"behind_hours", o_.behindHours}, {"communities", communities}});
    }

    // The persons under home observation, as rows: masked as search rows are
    // (personRowJson), with the since-date, the building and the last movement.
    Result<json> observationJson(const std::string& code, Date today)
    {
        constexpr int kLimit = 200;
        auto observed = db_.underObservation(code, kLimit + 1);
        if (!observed)
            return observed.error();
        json rows = json::array();
        for (size_t i = 0; i < observed->size() && i < size_t(kLimit); ++i) {
            const ObservedPerson& o = (*observed)[i];
            json row = personRowJson(o.record);
            // The start and the how-manieth day it is today (the start is day 1): a worker counts to 14 from it.
            if (const auto& start = o.record.person.observationStart) {
                const std::string day = std::to_string(today.days - start->days + 1);
                row["since"] = words(start->toString() + "（第 " + day + " 天）", "day " + day);
            } else
                row["since"] = words("—", "");
            row["building"] = addressBuilding(o.record.person.address);
            if (o.lastMoveAt) {
                const Choice& d = choiceOf(o.lastDirection);
                const std::string at = formatLocalTime(*o.lastMoveAt, o_.utcOffsetMinutes);
                // The English line sits under the Chinese one: the time and the gate are
                // read there, so it gives only what needs words (it repeated the gate).
                row["last_move"] = words(at + " · " + o.lastGate + " " + std::string(d.zh), std::string(d.en));
            } else
                row["last_move"] = words("没有出入记录", "No movement recorded");
            rows.push_back(std::move(row));
        }
        json more = json();
        if (observed->size() > size_t(kLimit))
            more = words("只显示前 " + std::to_string(kLimit) + " 人（按观察开始日期）", "Only the first " + std::to_string(kLimit) + " are shown (by start date)");
        return json{{"persons", rows}, {"more", more}, {"empty", rows.empty() ? pageWords()["observation_empty"] : json()}};
    }

    // A person as the page's lists show one (search, observation): a ref for
    // "show full number", the name, the number and phone masked by the core.
    json personRowJson(const PersonRecord& r) const
    {
        const Choice& type = choiceOf(r.person.personType);
        return json{{"ref", refs_.seal(r.person.docNumber)}, {"name", r.person.name},
                    {"number_masked", maskDocNumber(r.person.docNumber)}, {"phone_masked", maskPhone(r.person.phone)},
                    {"type", words(type.zh, type.en)}, {"updated_words", formatLocalTime(r.updatedAt, o_.utcOffsetMinutes)}};
    }

    json gateJson(const GateOverview& g, int64_t now) const
    {
        json status;
        bool behind = false;
        if (g.revokedAt)
            status = {{"code", "gate.revoked"}, {"zh", "已撤销"}, {"en", "Revoked"}};
        else if (!g.enrolled)
            status = {{"code", "gate.not_enrolled"}, {"zh", "未登记（批次由人工导入）"}, {"en", "Not enrolled (batches imported by hand)"}};
        else if (!g.lastUploadAt) {
            behind = true;
            status = {{"code", "gate.never_uploaded"}, {"zh", "从未上传"}, {"en", "Never uploaded"}};
        } else if (now - *g.lastUploadAt > int64_t(o_.behindHours) * 3'600'000) {
            behind = true;
            const std::string h = std::to_string((now - *g.lastUploadAt) / 3'600'000);
            status = {{"code", "gate.behind"}, {"zh", "滞后：" + h + " 小时未上传"}, {"en", "Behind: no upload for " + h + " hours"}};
        } else
            status = {{"code", "gate.up_to_date"}, {"zh", "正常"}, {"en", "Up to date"}};
        return json{{"name", g.name}, {"entries_today", g.entriesByDay.back()}, {"entries_by_day", g.entriesByDay},
                    {"last_upload_words", g.lastUploadAt ? formatLocalTime(*g.lastUploadAt, o_.utcOffsetMinutes) : "—"},
                    {"behind", behind}, {"status", status}};
    }

    void auditLog(const httplib::Request& req, httplib::Response& res)
    {
        auto s = require(req, res, Clock::system().unixMs);
        if (!s)
            return;
        if (s->role != Role::Admin)
            return sendError(res, 403, forbidden(s->role));
        auto events = db_.audit(500);
        if (!events)
            return sendError(res, 503, events.error());
        json out = json::array();
        for (const AuditEvent& e : *events)
            out.push_back({{"at", e.at}, {"at_words", formatLocalTime(e.at, o_.utcOffsetMinutes)}, {"account", e.account},
                           {"action", e.action}, {"action_words", actionWords(e.action)}, {"address", e.address},
                           {"detail", e.detail}});
        // What staff did at each visible community's gates, as their batches
        // carried it (StaffAction.h): admins only, like the office's own log.
        json gateActions = json::array();
        for (const Community& c : visible(*s)) {
            auto actions = db_.staffActions(c.code, 500);
            if (!actions)
                return sendError(res, 503, actions.error());
            json list = json::array();
            for (const StaffAction& a : *actions)
                list.push_back(staffActionListJson(a, o_.utcOffsetMinutes));
            gateActions.push_back({{"code", c.code}, {"name", c.name}, {"actions", list}});
        }
        sendJson(res, 200, json{{"ok", true}, {"events", out}, {"gate_actions", gateActions}});
    }


    // A JSON body's string field, or nullopt (the caller answers 400).
    static std::optional<std::string> field(const json& body, const char* key)
    {
        if (!body.is_object() || !body.contains(key) || !body[key].is_string())
            return std::nullopt;
        return body[key].get<std::string>();
    }

    // The session of a staff member or admin, or the 401/403 already sent.
    std::optional<Session> requireStaff(const httplib::Request& req, httplib::Response& res, int64_t now)
    {
        auto s = require(req, res, now);
        if (s && !mayHandlePersons(s->role)) {
            sendError(res, 403, forbiddenAction(s->role));
            return std::nullopt;
        }
        return s;
    }

    // The communities this session may see (Session::mayRead), the rest left out.
    std::vector<Community> visible(const Session& s)
    {
        std::vector<Community> out;
        for (Community& c : db_.communities())
            if (s.mayRead(c.code))
                out.push_back(std::move(c));
        return out;
    }

    // Whether a call naming `code` may go on: 403 office.forbidden_community
    // when the account is limited to other communities (whether or not this
    // one exists), 400 office.no_community for an unknown one; sent here.
    bool community(const Session& s, const std::string& code, httplib::Response& res)
    {
        if (!s.mayRead(code)) {
            sendError(res, 403, forbiddenCommunity(code));
            return false;
        }
        if (!db_.community(code)) {
            sendError(res, 400, noCommunity(code));
            return false;
        }
        return true;
    }

    json watchEntryJson(const WatchEntry& w) const
    {
        return json{{"ref", refs_.seal(w.docNumber)}, {"number_masked", maskDocNumber(w.docNumber)}, {"reason", w.reason},
                    {"added_words", formatLocalTime(w.addedAt, o_.utcOffsetMinutes)}};
    }

    void watchList(const httplib::Request& req, httplib::Response& res)
    {
        auto s = require(req, res, Clock::system().unixMs);
        if (!s)
            return;
        json communities = json::array();
        for (const Community& c : visible(*s)) {
            auto f = db_.feed(c.code);
            if (!f)
                return sendError(res, 503, f.error());
            json entries = json::array();
            for (auto it = f->watchList.rbegin(); it != f->watchList.rend(); ++it) // newest first
                entries.push_back(watchEntryJson(*it));
            communities.push_back({{"code", c.code}, {"name", c.name}, {"entries", entries}});
        }
        sendJson(res, 200, json{{"ok", true}, {"account", accountJson(*s)}, {"can_edit", mayHandlePersons(s->role)},
                                {"communities", communities}});
    }

    void watchAdd(const httplib::Request& req, httplib::Response& res)
    {
        const Clock now{Clock::system().unixMs, o_.utcOffsetMinutes};
        auto s = requireStaff(req, res, now.unixMs);
        if (!s)
            return;
        json body = json::parse(req.body, nullptr, false);
        auto code = field(body, "community"), doc = field(body, "doc_number"), reason = field(body, "reason");
        if (!code || !doc || !reason)
            return sendError(res, 400, kBadRequest);
        if (!community(*s, *code, res))
            return;
        // Checked as the gate will check the reply's rows (Feed.h), and an ID-shaped number by its check digit.
        WatchEntry w{normalizeDocNumber(*doc), *reason, now.unixMs};
        if (auto m = checkWatchEntry(w))
            return sendError(res, 400, *m);
        if (auto m = checkListedDocNumber(w.docNumber, now.today()))
            return sendError(res, 400, *m);
        if (auto r = db_.addWatch(*code, w); !r)
            return sendError(res, 503, r.error());
        if (audited(res, {now.unixMs, s->account, std::string(audit::kWatchAdded), req.remote_addr,
                          *code + " " + maskDocNumber(w.docNumber) + " · " + w.reason}))
            sendJson(res, 200, json{{"ok", true}, {"entry", watchEntryJson(w)}});
    }

    // A call about one row the page named (watch list, person): a staff
    // session, the community and the row's ref, the ref opened. nullopt with
    // the 401/403/400 already sent.
    struct RowRequest {
        Session session;
        std::string community;
        std::string docNumber;
    };
    std::optional<RowRequest> rowRequest(const httplib::Request& req, httplib::Response& res, int64_t now)
    {
        auto s = requireStaff(req, res, now);
        if (!s)
            return std::nullopt;
        json body = json::parse(req.body, nullptr, false);
        auto code = field(body, "community"), ref = field(body, "ref");
        if (!code || !ref) {
            sendError(res, 400, kBadRequest);
            return std::nullopt;
        }
        if (!community(*s, *code, res))
            return std::nullopt;
        auto doc = refs_.open(*ref);
        if (!doc) {
            sendError(res, 400, kStaleRef);
            return std::nullopt;
        }
        return RowRequest{std::move(*s), std::move(*code), std::move(*doc)};
    }

    void watchRemove(const httplib::Request& req, httplib::Response& res)
    {
        const int64_t now = Clock::system().unixMs;
        auto row = rowRequest(req, res, now);
        if (!row)
            return;
        auto removed = db_.removeWatch(row->community, row->docNumber);
        if (!removed)
            return sendError(res, 503, removed.error());
        if (!*removed)
            return sendError(res, 404, kNotOnList);
        if (audited(res, {now, row->session.account, std::string(audit::kWatchRemoved), req.remote_addr,
                          row->community + " " + maskDocNumber(row->docNumber)}))
            sendJson(res, 200, json{{"ok", true}});
    }

    void searchPersons(const httplib::Request& req, httplib::Response& res)
    {
        auto s = requireStaff(req, res, Clock::system().unixMs);
        if (!s)
            return;
        json body = json::parse(req.body, nullptr, false);
        auto code = field(body, "community"), query = field(body, "query");
        if (!code || !query)
            return sendError(res, 400, kBadRequest);
        if (!community(*s, *code, res))
            return;
        // The search finds nobody for these (searchTerm's rule); say why instead.
        if (!searchTerm(*query))
            return sendError(res, 400, kSearchShort);
        constexpr int kLimit = 50;
        auto found = db_.searchPersons(*code, *query, kLimit + 1);
        if (!found)
            return sendError(res, 503, found.error());
        auto feed = db_.feed(*code);
        if (!feed)
            return sendError(res, 503, feed.error());
        std::map<std::string, std::string, std::less<>> watched; // number → reason
        for (const WatchEntry& w : feed->watchList)
            watched[w.docNumber] = w.reason;
        json persons = json::array();
        for (size_t i = 0; i < found->size() && i < kLimit; ++i) {
            const PersonRecord& r = (*found)[i];
            persons.push_back(personRowJson(r));
            if (auto w = watched.find(r.person.docNumber); w != watched.end())
                persons.back()["watched"] = words("关注名单：" + w->second, "On the watch list: " + w->second);
        }
        json more = json();
        if (found->size() > size_t(kLimit))
            more = words("只显示前 " + std::to_string(kLimit) + " 人，请输入更多字缩小范围",
                         "Only the first " + std::to_string(kLimit) + " are shown: type more to narrow it down");
        sendJson(res, 200, json{{"ok", true}, {"persons", persons}, {"more", more}});
    }

    void unmask(const httplib::Request& req, httplib::Response& res)
    {
        const int64_t now = Clock::system().unixMs;
        auto row = rowRequest(req, res, now);
        if (!row)
            return;
        auto person = db_.findPerson(row->community, row->docNumber);
        if (!person)
            return sendError(res, 404, kNoPerson);
        if (audited(res, {now, row->session.account, std::string(audit::kUnmasked), req.remote_addr,
                          row->community + " " + person->person.name + " " + maskDocNumber(row->docNumber)}))
            sendJson(res, 200, json{{"ok", true}, {"doc_number", row->docNumber}});
    }

    void exportCsv(const httplib::Request& req, httplib::Response& res)
    {
        const Clock now{Clock::system().unixMs, o_.utcOffsetMinutes};
        auto s = requireStaff(req, res, now.unixMs);
        if (!s)
            return;
        json body = json::parse(req.body, nullptr, false);
        auto code = field(body, "community"), what = field(body, "what");
        if (!code || !what || (*what != "persons" && *what != "entries"))
            return sendError(res, 400, kBadRequest);
        if (!community(*s, *code, res))
            return;
        auto persons = db_.persons(*code);
        if (!persons)
            return sendError(res, 503, persons.error());
        std::string csv;
        size_t rows = 0;
        if (*what == "persons") {
            csv = personsCsv(*persons, o_.utcOffsetMinutes);
            rows = persons->size();
        } else {
            auto entries = db_.entries(*code);
            if (!entries)
                return sendError(res, 503, entries.error());
            std::map<std::string, const Person*, std::less<>> byNumber;
            for (const PersonRecord& r : *persons)
                byNumber[r.person.docNumber] = &r.person;
            csv = entriesCsv(*entries,
                             [&](std::string_view doc) -> std::optional<Person> {
                                 auto it = byNumber.find(doc);
                                 return it == byNumber.end() ? std::nullopt : std::optional(*it->second);
                             },
                             o_.utcOffsetMinutes);
            rows = entries->size();
        }
        const std::string file = *code + "-" + *what + "-" + now.today().toString() + ".csv";
        if (!audited(res, {now.unixMs, s->account, std::string(audit::kExported), req.remote_addr, file + " · " + std::to_string(rows)}))
            return;
        secure(res);
        // The community code is the office's own (checked above): a plain file name needs no quoting beyond this.
        res.set_header("Content-Disposition", "attachment; filename=\"" + file + "\"");
        res.set_header("X-Gatepass-Rows", std::to_string(rows));
        res.set_content(csv, "text/csv; charset=utf-8");
    }


    void importRoster(const httplib::Request& req, httplib::Response& res)
    {
        const Clock now{Clock::system().unixMs, o_.utcOffsetMinutes};
        auto s = requireStaff(req, res, now.unixMs);
        if (!s)
            return;
        json body = json::parse(req.body, nullptr, false);
        auto code = field(body, "community"), data = field(body, "data");
        if (!code || !data)
            return sendError(res, 400, kBadRequest);
        if (!community(*s, *code, res))
            return;
        // The file travels base64 in the JSON body (its bytes may be GBK, which JSON cannot carry).
        std::string bytes(data->size() / 4 * 3 + 3, '\0');
        size_t length = 0;
        if (data->empty() || sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), data->data(), data->size(), nullptr,
                                               &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
            return sendError(res, 400, kNoFile);
        bytes.resize(length);
        auto text = rosterText(bytes);
        if (!text)
            return sendError(res, 400, text.error());
        auto roster = readRoster(text->text, now.today());
        if (!roster)
            return sendError(res, 400, roster.error());
        if (!roster->problems.empty()) {
            json problems = json::array();
            for (const RosterProblem& p : roster->problems)
                problems.push_back({{"line", p.line}, {"code", p.message.code}, {"field", p.message.field}, {"zh", p.message.zh}, {"en", p.message.en}});
            const std::string n = std::to_string(roster->problems.size());
            const Message m{"roster.rows_invalid", n + " 行有误（见下表），未导入任何人：改正后再导入整个文件",
                            n + " line(s) are wrong (listed below); nobody was imported: correct them and import the whole file again", ""};
            return sendJson(res, 400, json{{"ok", false}, {"error", toJson(m)}, {"encoding", text->encoding}, {"problems", problems}});
        }
        std::vector<PersonRecord> rows;
        for (Person& p : roster->persons)
            rows.push_back(PersonRecord{std::move(p), kRosterVersion, std::nullopt, ""}); // a gate's own record wins (Roster.h)
        if (auto r = db_.addRoster(*code, rows, now.unixMs); !r)
            return sendError(res, 503, r.error());
        if (!audited(res, {now.unixMs, s->account, std::string(audit::kRosterImported), req.remote_addr,
                           *code + " · " + std::to_string(rows.size()) + " · " + text->encoding}))
            return;
        const std::string n = std::to_string(rows.size());
        sendJson(res, 200, json{{"ok", true}, {"imported", rows.size()}, {"encoding", text->encoding},
                                {"words", words("已导入 " + n + " 人（文件编码 " + text->encoding + "）；各门岗下次上传后即可使用",
                                                "Imported " + n + " (file encoding " + text->encoding + "); each gate has them after its next upload")}});
    }

    // The session of an admin, or the 401/403 already sent.
    std::optional<Session> requireAdmin(const httplib::Request& req, httplib::Response& res, int64_t now)
    {
        auto s = require(req, res, now);
        if (s && s->role != Role::Admin) {
            sendError(res, 403, forbiddenAction(s->role));
            return std::nullopt;
        }
        return s;
    }

    static std::string communitiesDetail(const std::vector<std::string>& codes) { return codes.empty() ? "*" : joinCommunities(codes); }

    json accountRowJson(const Account& a, int64_t now) const
    {
        const bool locked = a.lockedUntil && *a.lockedUntil > now;
        json communities = a.role == Role::Admin || a.communities.empty() ? json(words("全部社区", "Every community")) : json(words(joinCommunities(a.communities), ""));
        json state = a.disabled ? words("已停用", "Disabled")
                     : locked   ? words("已锁定至 " + formatLocalTime(*a.lockedUntil, o_.utcOffsetMinutes).substr(11),
                                    "Locked until " + formatLocalTime(*a.lockedUntil, o_.utcOffsetMinutes).substr(11))
                                : words("正常", "Active");
        // What the account screen offers on this row ("form": it asks for more first); the service checks each again.
        json actions = json::array();
        auto offer = [&](std::string_view what, json w, bool form = false) { actions.push_back({{"what", what}, {"words", std::move(w)}, {"form", form}}); };
        offer("role", words("更改角色", "Change role"), true);
        offer("password", words("重设密码", "Reset password"), true);
        if (a.role != Role::Admin)
            offer("communities", words("更改社区", "Change communities"), true);
        if (locked)
            offer("unlock", words("解除锁定", "Unlock"));
        if (a.disabled)
            offer("enable", words("启用", "Enable"));
        else
            offer("disable", words("停用", "Disable"));
        return json{{"name", a.name}, {"role", roleKey(a.role)}, {"role_words", roleWords(a.role)}, {"communities", a.communities},
                    {"communities_words", communities}, {"disabled", a.disabled}, {"locked", locked}, {"state_words", state},
                    {"state_class", a.disabled ? "disabled" : locked ? "locked" : ""}, {"actions", actions},
                    {"last_sign_in_words", a.lastSignInAt ? formatLocalTime(*a.lastSignInAt, o_.utcOffsetMinutes) : "—"}};
    }

    void listAccounts(const httplib::Request& req, httplib::Response& res)
    {
        const int64_t now = Clock::system().unixMs;
        if (!requireAdmin(req, res, now))
            return;
        auto all = db_.accounts();
        if (!all)
            return sendError(res, 503, all.error());
        json rows = json::array(), roles = json::array(), communities = json::array();
        for (const Account& a : *all)
            rows.push_back(accountRowJson(a, now));
        for (Role r : {Role::Staff, Role::Viewer, Role::Admin})
            roles.push_back({{"key", roleKey(r)}, {"words", roleWords(r)}});
        for (const Community& c : db_.communities())
            communities.push_back({{"code", c.code}, {"name", c.name}});
        sendJson(res, 200, json{{"ok", true}, {"accounts", rows}, {"roles", roles}, {"communities", communities}});
    }

    // The body's "communities": absent or [] for every one, else known codes
    // (400 office.bad_request / office.no_community, sent here).
    std::optional<std::vector<std::string>> communityList(const json& body, httplib::Response& res)
    {
        std::vector<std::string> out;
        if (!body.contains("communities"))
            return out;
        const json& list = body["communities"];
        if (!list.is_array()) {
            sendError(res, 400, kBadRequest);
            return std::nullopt;
        }
        for (const json& c : list) {
            if (!c.is_string()) {
                sendError(res, 400, kBadRequest);
                return std::nullopt;
            }
            const std::string code = c;
            if (!db_.community(code)) {
                sendError(res, 400, noCommunity(code));
                return std::nullopt;
            }
            if (std::find(out.begin(), out.end(), code) == out.end())
                out.push_back(code);
        }
        return out;
    }

    // The new password typed twice, checked (zh/en message sent here), then hashed.
    std::optional<std::string> newPasswordHash(const json& body, httplib::Response& res)
    {
        auto password = field(body, "password"), again = field(body, "password_again");
        if (!password || !again) {
            sendError(res, 400, kBadRequest);
            return std::nullopt;
        }
        auto bad = checkNewPassword(*password, *again);
        auto hash = bad ? std::nullopt : crypto::hashPassword(*password);
        crypto::wipe(*password);
        crypto::wipe(*again);
        if (bad)
            sendError(res, 400, *bad);
        else if (!hash)
            sendError(res, 503, Message{"account.hash", "内存不足，无法计算密码散列", "Not enough memory to hash the password", ""});
        return hash;
    }

    void addAccount(const httplib::Request& req, httplib::Response& res)
    {
        const int64_t now = Clock::system().unixMs;
        auto s = requireAdmin(req, res, now);
        if (!s)
            return;
        json body = json::parse(req.body, nullptr, false);
        auto name = field(body, "name"), roleKeyTyped = field(body, "role");
        if (!name || !roleKeyTyped)
            return sendError(res, 400, kBadRequest);
        if (auto m = checkAccountName(*name))
            return sendError(res, 400, *m);
        auto role = roleFromKey(*roleKeyTyped);
        if (!role)
            return sendError(res, 400, badRole(*roleKeyTyped));
        auto communities = communityList(body, res);
        if (!communities)
            return;
        if (*role == Role::Admin && !communities->empty())
            return sendError(res, 400, adminCommunities());
        if (db_.account(*name)) // before the slow hash; addAccount says it again if a concurrent add won
            return sendError(res, 400, accountExists(*name));
        auto hash = newPasswordHash(body, res);
        if (!hash)
            return;
        Account a{*name, *role, *hash, now};
        a.communities = *communities;
        if (auto r = db_.addAccount(a); !r)
            return sendError(res, r.error().code == "account.exists" ? 400 : 503, r.error());
        if (audited(res, {now, s->account, std::string(audit::kAccountAdded), req.remote_addr,
                          *name + " · " + std::string(roleKey(*role)) + " · " + communitiesDetail(*communities)}))
            sendJson(res, 200, json{{"ok", true}, {"account", accountRowJson(a, now)},
                                    {"words", words("已添加账号 " + *name, "Account added: " + *name)}});
    }

    // {"name","what":"role"|"password"|"disable"|"enable"|"unlock"|"communities", …}
    void changeAccount(const httplib::Request& req, httplib::Response& res)
    {
        const int64_t now = Clock::system().unixMs;
        auto s = requireAdmin(req, res, now);
        if (!s)
            return;
        json body = json::parse(req.body, nullptr, false);
        auto name = field(body, "name"), what = field(body, "what");
        if (!name || !what)
            return sendError(res, 400, kBadRequest);
        auto before = db_.account(*name);
        if (!before)
            return sendError(res, 404, accountNotFound(*name));
        AccountChange change;
        std::string_view action;
        std::string detail = *name;
        if (*what == "role") {
            auto typed = field(body, "role");
            if (!typed)
                return sendError(res, 400, kBadRequest);
            change.role = roleFromKey(*typed);
            if (!change.role)
                return sendError(res, 400, badRole(*typed));
            if (*change.role == Role::Admin)
                change.communities = std::vector<std::string>{}; // an admin sees every community
            action = audit::kAccountRole;
            detail += " · " + std::string(roleKey(before->role)) + " → " + std::string(roleKey(*change.role));
        } else if (*what == "password") {
            change.passwordHash = newPasswordHash(body, res);
            if (!change.passwordHash)
                return;
            action = audit::kAccountPassword;
        } else if (*what == "disable" || *what == "enable") {
            change.disabled = *what == "disable";
            action = *change.disabled ? audit::kAccountDisabled : audit::kAccountEnabled;
        } else if (*what == "unlock") {
            change.unlock = true;
            action = audit::kAccountUnlocked;
        } else if (*what == "communities") {
            change.communities = communityList(body, res);
            if (!change.communities)
                return;
            if (before->role == Role::Admin && !change.communities->empty())
                return sendError(res, 400, adminCommunities());
            action = audit::kAccountCommunities;
            detail += " · " + communitiesDetail(before->communities) + " → " + communitiesDetail(*change.communities);
        } else
            return sendError(res, 400, kBadRequest);
        if (auto r = db_.changeAccount(*name, change); !r) {
            const std::string& code = r.error().code;
            return sendError(res, code == "account.last_admin" ? 409 : code == "account.not_found" ? 404 : 503, r.error());
        }
        if (!audited(res, {now, s->account, std::string(action), req.remote_addr, detail}))
            return;
        auto after = db_.account(*name);
        const json done = actionWords(action);
        sendJson(res, 200, json{{"ok", true}, {"account", after ? accountRowJson(*after, now) : json()},
                                {"words", words(done["zh"].get<std::string>() + "：" + *name, done["en"].get<std::string>() + ": " + *name)}});
    }

    OfficeDb& db_;
    DashboardOptions o_;
    std::vector<Asset> assets_;
    crypto::RowRefs refs_; // this run's key for the rows the page names (RowRef.h)
};

} // namespace

bool addDashboard(httplib::Server& server, OfficeDb& db, const DashboardOptions& options)
{
    auto d = std::make_shared<Dashboard>(db, options);
    if (!options.webDir.empty()) {
        // The page's files, an explicit list: nothing else under webDir is served.
        d->assets_ = {{"/office/", "index.html", "text/html; charset=utf-8", ""},
                      {"/office/office.js", "office.js", "text/javascript; charset=utf-8", ""},
                      {"/office/office.css", "office.css", "text/css; charset=utf-8", ""},
                      // The chart library (npm uplot, pinned; build-scripts/assemble-site copies it here).
                      {"/office/vendor/uplot/uPlot.iife.min.js", "vendor/uplot/uPlot.iife.min.js", "text/javascript; charset=utf-8", ""},
                      {"/office/vendor/uplot/uPlot.min.css", "vendor/uplot/uPlot.min.css", "text/css; charset=utf-8", ""}};
        for (Asset& a : d->assets_) {
            auto body = readFile(options.webDir + "/" + a.file);
            if (!body) {
                std::cerr << "错误：无法读取办公室页面 " << options.webDir << "/" << a.file << "\nerror: cannot read the dashboard page "
                          << options.webDir << "/" << a.file << " [office.web]\n";
                return false;
            }
            a.body = std::move(*body);
        }
        for (const Asset& a : d->assets_)
            server.Get(a.path, [d, &a](const httplib::Request&, httplib::Response& res) {
                secure(res);
                res.set_header("Content-Security-Policy",
                               "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
                res.set_content(a.body, a.type);
            });
        server.Get("/office", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/office/"); });
    }
    server.Get("/office/api/words", [](const httplib::Request&, httplib::Response& res) {
        sendJson(res, 200, json{{"ok", true}, {"words", pageWords()}});
    });
    // State-changing requests: the page's own origin and a JSON body, besides the SameSite cookie.
    auto guarded = [](auto handler) {
        return [handler](const httplib::Request& req, httplib::Response& res) {
            if (!sameOrigin(req))
                return sendError(res, 403, kCrossOrigin);
            if (req.get_header_value("Content-Type").find("application/json") != 0)
                return sendError(res, 400, kBadRequest);
            handler(req, res);
        };
    };
    server.Post("/office/api/sign-in", guarded([d](const httplib::Request& q, httplib::Response& r) { d->signIn(q, r); }));
    server.Post("/office/api/sign-out", guarded([d](const httplib::Request& q, httplib::Response& r) { d->signOut(q, r); }));
    server.Get("/office/api/session", [d](const httplib::Request& q, httplib::Response& r) { d->sessionInfo(q, r); });
    server.Get("/office/api/overview", [d](const httplib::Request& q, httplib::Response& r) { d->overview(q, r); });
    server.Get("/office/api/audit", [d](const httplib::Request& q, httplib::Response& r) { d->auditLog(q, r); });
    server.Get("/office/api/watch-list", [d](const httplib::Request& q, httplib::Response& r) { d->watchList(q, r); });
    server.Post("/office/api/watch-list/add", guarded([d](const httplib::Request& q, httplib::Response& r) { d->watchAdd(q, r); }));
    server.Post("/office/api/watch-list/remove", guarded([d](const httplib::Request& q, httplib::Response& r) { d->watchRemove(q, r); }));
    // Search terms and numbers travel in POST bodies: never in a URL (server logs, history, Referer).
    server.Post("/office/api/persons/search", guarded([d](const httplib::Request& q, httplib::Response& r) { d->searchPersons(q, r); }));
    server.Post("/office/api/persons/unmask", guarded([d](const httplib::Request& q, httplib::Response& r) { d->unmask(q, r); }));
    server.Post("/office/api/roster/import", guarded([d](const httplib::Request& q, httplib::Response& r) { d->importRoster(q, r); }));
    server.Post("/office/api/export", guarded([d](const httplib::Request& q, httplib::Response& r) { d->exportCsv(q, r); }));
    server.Get("/office/api/accounts", [d](const httplib::Request& q, httplib::Response& r) { d->listAccounts(q, r); });
    server.Post("/office/api/accounts/add", guarded([d](const httplib::Request& q, httplib::Response& r) { d->addAccount(q, r); }));
    server.Post("/office/api/accounts/change", guarded([d](const httplib::Request& q, httplib::Response& r) { d->changeAccount(q, r); }));
    return true;
}

} // namespace gatepass::office
