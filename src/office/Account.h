// Office accounts (issue 11): who may sign in to the dashboard, in which role,
// and the audit log of what accounts did. Values and rules only; the
// database keeps them (OfficeDb), the dashboard (Dashboard.h) uses them.
#pragma once

#include "Message.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gatepass::office {

// admin: everything in every community, accounts, the audit log. staff: in
// their communities, the counts, the watch list, person search (and showing
// a full number), CSV export, roster import. viewer: in their communities,
// the counts and the watch list (masked), read only.
enum class Role { Admin, Staff, Viewer };

std::string_view roleKey(Role role);                // "admin" / "staff" / "viewer"
std::optional<Role> roleFromKey(std::string_view key);

struct Account {
    std::string name;
    Role role = Role::Viewer;
    std::string passwordHash;          // crypto::hashPassword's string; the password is never stored
    int64_t createdAt = 0;
    int failedSignIns = 0;             // wrong passwords since the last success or lock-out
    std::optional<int64_t> lockedUntil = {};
    std::vector<std::string> communities = {}; // the codes it may see; empty: every one (always so for an admin)
    bool disabled = false;             // may not sign in; its sessions are ended
    std::optional<int64_t> lastSignInAt = {};
};

/// A signed-in browser: the account as it is now (a role, community or
/// disabled change applies at once).
struct Session {
    std::string account;
    Role role = Role::Viewer;
    int64_t expiresAt = 0;
    std::vector<std::string> communities = {}; // as Account::communities

    /// Whether this account may see anything of that community (the
    /// dashboard asks on every call that names or lists communities).
    bool mayRead(std::string_view community) const;
};

/// A change an admin makes on the account screen. Unset fields stay as they are.
struct AccountChange {
    std::optional<Role> role = {};
    std::optional<std::string> passwordHash = {};             // crypto::hashPassword's; ends the account's sessions
    std::optional<bool> disabled = {};                        // disabling ends the account's sessions
    bool unlock = false;                                      // the lock-out and the failure count cleared
    std::optional<std::vector<std::string>> communities = {}; // the caller checked the codes exist
};

/// Account::communities as stored: codes joined by ',' ("" for every one).
std::string joinCommunities(const std::vector<std::string>& codes);
std::vector<std::string> splitCommunities(std::string_view stored);

/// One line of the audit log: who did what, when, from which address.
/// Never a password, a token or personal data.
struct AuditEvent {
    int64_t at = 0;
    std::string account; // as typed for a failed sign-in of an unknown name
    std::string action;  // AuditAction key below
    std::string address; // the client's IP address as the service saw it
    std::string detail = {}; // whom or what: a masked number and name, a file and its rows; never a full number
};

// The audit log's actions (keys stored in the database).
namespace audit {
inline constexpr std::string_view kSignIn = "sign_in";
inline constexpr std::string_view kSignInFailed = "sign_in_failed";
inline constexpr std::string_view kLocked = "locked";
inline constexpr std::string_view kSignInWhileLocked = "sign_in_locked";
inline constexpr std::string_view kSignInDisabled = "sign_in_disabled"; // the right password of a disabled account
inline constexpr std::string_view kSignOut = "sign_out";
inline constexpr std::string_view kAccountAdded = "account_added";           // detail: whom, role, communities
inline constexpr std::string_view kAccountRole = "account_role";             // detail: whom, old → new role
inline constexpr std::string_view kAccountPassword = "account_password";     // detail: whom (never the password)
inline constexpr std::string_view kAccountDisabled = "account_disabled";     // detail: whom
inline constexpr std::string_view kAccountEnabled = "account_enabled";       // detail: whom
inline constexpr std::string_view kAccountUnlocked = "account_unlocked";     // detail: whom
inline constexpr std::string_view kAccountCommunities = "account_communities"; // detail: whom, old → new codes
inline constexpr std::string_view kWatchAdded = "watch_added";     // detail: masked number, reason
inline constexpr std::string_view kWatchRemoved = "watch_removed"; // detail: masked number
inline constexpr std::string_view kUnmasked = "unmasked";          // detail: whom (name, masked number)
inline constexpr std::string_view kExported = "exported";          // detail: which file, how many rows
inline constexpr std::string_view kRosterImported = "roster_imported"; // detail: community, rows, encoding
} // namespace audit

struct SignInRules {
    int lockAfterFailures = 5;
    int64_t lockMs = 15 * 60'000;        // a locked account waits this long
    int64_t sessionMs = 8 * 3'600'000;   // a working day; then sign in again
};

/// A user name: 1–40 characters, no control characters (the gate-name rule).
std::optional<Message> checkAccountName(std::string_view name);
/// A password: valid UTF-8, 10–1024 bytes.
std::optional<Message> checkPassword(std::string_view password);
/// account.role: not one of admin, staff, viewer.
Message badRole(std::string_view typed);
/// account.exists
Message accountExists(std::string_view name);
/// account.password_mismatch when the password typed twice differs, else checkPassword's answer.
std::optional<Message> checkNewPassword(std::string_view password, std::string_view again);
/// account.not_found
Message accountNotFound(std::string_view name);
/// account.last_admin: the change would leave no enabled admin (nothing changed).
Message lastAdmin();
/// account.admin_communities: an admin sees every community; it cannot be limited.
Message adminCommunities();

} // namespace gatepass::office
