// Office accounts (issue 11): who may sign in to the dashboard, in which role,
// and the audit log of what accounts did. Values and rules only; the
// database keeps them (OfficeDb), the dashboard (Dashboard.h) uses them.
#pragma once

#include "Message.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gatepass::office {

// admin: everything, the audit log. staff: the counts, the watch list,
// person search (and showing a full number), CSV export. viewer: the counts
// and the watch list (masked), read only.
enum class Role { Admin, Staff, Viewer };

std::string_view roleKey(Role role);                // "admin" / "staff" / "viewer"
std::optional<Role> roleFromKey(std::string_view key);

struct Account {
    std::string name;
    Role role = Role::Viewer;
    std::string passwordHash;          // crypto::hashPassword's string; the password is never stored
    int64_t createdAt = 0;
    int failedSignIns = 0;             // wrong passwords since the last success or lock-out
    std::optional<int64_t> lockedUntil;
};

/// A signed-in browser: the account as it is now (a role change applies at once).
struct Session {
    std::string account;
    Role role = Role::Viewer;
    int64_t expiresAt = 0;
};

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
inline constexpr std::string_view kSignOut = "sign_out";
inline constexpr std::string_view kAccountAdded = "account_added";
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

} // namespace gatepass::office
