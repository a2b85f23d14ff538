// Stored records in JSON: the shape used by the message API and in batches.
#pragma once

#include "Lock.h"
#include "Message.h"
#include "PersonJson.h"
#include "Records.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string_view>
#include <vector>

namespace gatepass {

nlohmann::json toJson(const Message& message);
nlohmann::json toJson(const std::vector<Message>& messages); // an array
std::vector<Message> messagesFromJson(const nlohmann::json& json);

/// {person, updated_at, verified_at?, verified_by?}
nlohmann::json toJson(const PersonRecord& record);
/// Shape and every rule of the person (without today); nullopt if anything is off.
std::optional<PersonRecord> personRecordFromJson(const nlohmann::json& json);

/// {id, doc_number, name, person_type, at, direction, temperature?, verdict, reasons, gate, staff}
nlohmann::json toJson(const Entry& entry);
std::optional<Entry> entryFromJson(const nlohmann::json& json);

/// {time, date_time, direction: {zh, en}, verdict: {zh, en}, temperature, person_type: {zh, en}}
nlohmann::json toJson(const EntryWords& words);
/// Who is inside (Store::insideByPersonType) as [{person_type, zh, en, count}]:
/// visitors, then couriers, then the other types in their order; none at 0.
nlohmann::json insideJson(const std::map<std::string, int>& byType);

/// The counts as the API and the office CLI report them.
nlohmann::json toJson(const Stats& stats);

/// The settings as replies show them: never the secrets (upload token, gate key, keys).
nlohmann::json toJson(const Settings& settings);
/// lock.status's reply (Api.h): {locked, state, failures, wait_ms, min_digits, max_digits, lockout?}.
nlohmann::json toJson(const LockStatus& status);
/// toJson plus the secrets ("upload_token", "gate_key", "keys"): what Store keeps. Never a reply.
nlohmann::json toStoredJson(const Settings& settings);
/// A community public key as settings take it: empty (none), or 32 bytes as unpadded base64url.
bool isPublicKeyText(std::string_view key);
/// The key pairs of a "keys" array (settings.communityKeys, an enrollment's
/// keysJson); entries without string id, secret_key and public_key are skipped.
std::vector<CommunityKey> communityKeys(std::string_view keysJson);
/// Applies the keys present in `json` over `base`; unknown keys or wrong types are an error.
Result<Settings> settingsFromJson(const nlohmann::json& json, Settings base);

} // namespace gatepass
