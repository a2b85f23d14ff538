// The community and office subcommands of `gatepass` (src/cli/main.cpp
// registers them). Each add… function declares its subcommands on `app` and
// returns what to run after parsing: the exit code when one of its
// subcommands was chosen, nullopt otherwise.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>

namespace gatepass::cli {

using Run = std::function<std::optional<int>()>;

/// community init, community enroll-gate
Run addCommunityCommands(CLI::App& app);

/// office serve, add-community, enroll-gate, revoke-gate, purge, status, watch, find
Run addOfficeCommands(CLI::App& app);

} // namespace gatepass::cli
