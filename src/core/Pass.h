// The pass: one person's record as the text of a QR code. Two formats:
//
// Format 1, the plain pass (a gate without a community key; the office CLI).
// Layout: "GP:" + Base45(payload + check), where the payload is
//   u8 format, u8 flags, u8 doc_type | person_type << 4, u32 issued minute,
//   document number (8-byte integer for 18-character ID numbers, else a string),
//   phone (5-byte integer for mobiles, else a string), name, address,
//   [employer], [came_from, return_date], [observation_start]
// doc_type is the DocType's number (Person.h: appended, never reordered; 5 and
// 6, the two 来往内地/大陆通行证, since 2026-11 — every earlier pass reads as
// before, while a console built before then refuses a pass of those types as
// pass.damaged); the phone is any stored spelling (Phone.h), "+852…" as a string;
// strings are u8 length + packed text (CJK in two bytes, see Pass.cpp), dates
// u16 days since 1900-01-01, integers big-endian; check is the first 4 bytes
// of SHA-256(payload).
// Base45 keeps the QR in alphanumeric mode (5.5 bits a character): the
// commonest record (Chinese name, ID card, mobile, "3-2-501") is ~70
// characters, QR version 4 at error correction M; with travel answers it
// stays within version 5; every field filled with long Chinese text, version 6.
//
// Format 2, the live sealed pass: "GP2:" + Base45(key id ‖ sealed), where
//   key id = the first 4 bytes of BLAKE2b-256 of the community public key
//            (src/crypto/KeyPair.h keyId, as raw bytes): which key opens it;
//   sealed = libsodium crypto_box_seal(plain, community public key): an
//            ephemeral X25519 key and a Poly1305 tag, 48 bytes more than plain;
//   plain  = the format-1 payload with format byte 2 and, after the issued
//            minute, u32 made second (since 2020-01-01T00:00Z), and no check
//            (the seal authenticates).
// The commonest record is ~138 characters, QR version 6 at M; with travel
// answers version 7; every item with a long employer, version 8
// (build-scripts/bench-sealed, docs/benchmarks-sealed.md).
// Only a holder of the community secret key (the office, an enrolled gate) can
// read it; the made second lets a gate refuse a screenshot replayed later
// (pass.stale) or a pass from a phone whose clock runs ahead (pass.clock).
// The core holds no cryptography (the wasm core has no libsodium): it makes
// and reads `plain` and the frame; sealing and opening are the caller's
// (PassCrypto.h: libsodium natively, libsodium-wrappers in the browser worker).
#pragma once

#include "Message.h"
#include "Person.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gatepass {

inline constexpr std::string_view kPassPrefix = "GP:";
inline constexpr int kPassFormat = 1;
inline constexpr std::string_view kSealedPassPrefix = "GP2:";
inline constexpr int kSealedPassFormat = 2;
inline constexpr size_t kKeyIdBytes = 4;
inline constexpr size_t kSealOverheadBytes = 48; // crypto_box_SEALBYTES: ephemeral public key + MAC

using KeyId = std::array<uint8_t, kKeyIdBytes>;

struct DecodedPass {
    Person person;
    int64_t issuedAtMs = 0; // when the resident saved this version, to the minute
};

/// The pass text of a valid person (validated without today); an invalid
/// person gives its first validation error; crypto.unavailable without the
/// host's SHA-256 (Digest.h).
Result<std::string> encodePass(const Person& person, int64_t issuedAtMs);

/// The record in a pass, or why the text is not one: pass.foreign (another
/// QR code, a URL), pass.damaged (truncated, altered or misread),
/// pass.newer_version (made by a newer gatepass), pass.invalid_record,
/// crypto.unavailable (no SHA-256 to check it with: Digest.h). Never returns a partly filled record.
Result<DecodedPass> decodePass(std::string_view text);

/// The format-1 payload alone (no "GP:", Base45 or check), for a pass that
/// seals it inside another (a printed card, CardPass.h): as encodePass's errors.
Result<std::string> recordPayload(const Person& person, int64_t issuedAtMs);

/// The record in a format-1 payload without its check: pass.damaged, pass.invalid_record.
Result<DecodedPass> readRecordPayload(std::string_view payload);

// --- format 2 ---

struct LivePass {
    Person person;
    int64_t issuedAtMs = 0; // when the resident saved this version, to the minute
    int64_t madeAtMs = 0;   // when the phone made this pass, to the second
};

/// How far a live pass's made time may lie from the gate's clock (gate settings, Rules).
struct LiveWindow {
    int maxAgeSeconds = 120;  // older: pass.stale (a screenshot, a photo of a pass)
    int maxAheadSeconds = 300; // later than now: pass.clock (a phone's clock runs ahead)
};

/// How often a phone makes its live pass again: a quarter of the default
/// LiveWindow::maxAgeSeconds, so the code on screen is always well inside a
/// gate's window, even read a little late or by a gate with a tighter one.
inline constexpr int kLiveRenewSeconds = 30;

/// The plain bytes a live pass seals, for a valid person (validated without
/// today); an invalid person gives its first validation error.
Result<std::string> livePassPlain(const Person& person, int64_t issuedAtMs, int64_t madeAtMs);

/// "GP2:" + Base45(keyId ‖ sealed).
std::string frameSealedPass(const KeyId& keyId, std::string_view sealed);

struct FramedPass {
    KeyId keyId{};
    std::string sealed; // crypto_box_seal output, still closed
};

/// The key id and sealed bytes of a GP2 text, or pass.foreign (not "GP2:"),
/// pass.damaged (not Base45, too short to hold a sealed record).
Result<FramedPass> unframeSealedPass(std::string_view text);

/// The record in opened plain bytes, checked against `nowMs`: pass.damaged,
/// pass.newer_version, pass.invalid_record, pass.clock (made more than
/// maxAheadSeconds ahead), pass.stale (made more than maxAgeSeconds ago).
Result<LivePass> readLivePassPlain(std::string_view plain, int64_t nowMs, const LiveWindow& window);

/// A format-1 pass at a gate that holds a community key: pass.plain, "ask the
/// resident to reopen the page" (a plain pass can be any old screenshot).
Message plainPassAtEnrolledGate();

/// A GP2 pass whose key id is none of this gate's keys: pass.other_community.
Message otherCommunityPass();

/// pass.damaged: cut short, altered, misread — or a live pass that did not open.
Message damagedPass();

/// Text as a pass packs it (CJK in two bytes, see Pass.cpp), for the other
/// payloads inside the GP2 frame (VisitorPass.h); unpacking gives nullopt on
/// bytes packing never makes.
std::string packPassText(std::string_view utf8);
std::optional<std::string> unpackPassText(std::string_view packed);

} // namespace gatepass
