// The community and office subcommands of `gatepass` (src/cli/main.cpp
// registers them). Each add… function declares its subcommands on `app` and
// returns what to run after parsing: the exit code when one of its
// subcommands was chosen, nullopt otherwise.
#pragma once

#include "Message.h"
#include "Person.h"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace gatepass::cli {

using Run = std::function<std::optional<int>()>;

/// Prints a refusal to stderr in Chinese and English with its code; returns 1 (the exit code).
int failWith(const Message& m);

/// The person (JSON) on stdin, validated for today; nullopt after printing
/// why not (invalid JSON, or each failing field) to stderr.
std::optional<Person> readPersonFromStdin();

/// community init, community enroll-gate
Run addCommunityCommands(CLI::App& app);

/// pass encode --community DIR: the person (JSON on stdin) as a live sealed
/// pass to DIR/community.pub, made at `madeAtMs`; prints the GP2 text.
int passEncodeSealed(const std::string& communityDir, int64_t issuedAtMs, int64_t madeAtMs);

/// pass decode --key DIR TEXT: opens a GP2 pass with DIR/community.key (a
/// plain GP: pass is read as is) and prints {person, issued_at, made_at?}, or
/// for a printed card (CardPass.h) {person, issued_at, card}.
/// A live pass made more than 2 minutes before `nowMs` (or 5 ahead) is refused as a gate would.
int passDecodeSealed(const std::string& keyDir, const std::string& text, int64_t nowMs);

/// The text as a QR symbol (SVG, ECC M) in `file`: file.write, or qrSvg's error.
std::optional<Message> writeQrSvg(const std::string& text, const std::string& file);

/// office.community_not_found: the office database has no community of this code.
Message noCommunity(const std::string& code);

/// card issue, card revoke (printed pass cards, CardPass.h)
Run addCardCommands(CLI::App& app);

/// office serve, add-community, enroll-gate, revoke-gate, purge, status, watch, find, add-account
Run addOfficeCommands(CLI::App& app);

} // namespace gatepass::cli
