// The office's own pieces: the libsodium wrappers, the community files, the
// enrollment code, the person merge rule and the rate limiter. The service
// end to end (HTTP, both databases) is tests/office/run.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "Base64Url.h"
#include "Community.h"
#include "Enrollment.h"
#include "EnrollmentCode.h"
#include "GateEnrollment.h"
#include "RecordJson.h"
#include "KeyPair.h"
#include "RateLimiter.h"
#include "SealedBox.h"
#include "Token.h"
#include "gatepass.h"

#include <sodium.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

using namespace gatepass;
using namespace gatepass::office;
using namespace gatepass::crypto;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("office-test-" + toHex(randomBytes(6)));
    ~TempDir() { fs::remove_all(path); }
};

PersonRecord person(std::string name, int64_t updatedAt, std::optional<int64_t> verifiedAt = std::nullopt)
{
    nlohmann::json j{{"name", name}, {"doc_type", "resident_id"}, {"doc_number", "11010519491231002X"}, {"phone", "13800138000"},
                     {"person_type", "resident"}, {"address", "3-2-501"}, {"left_city", false}, {"epidemic_contact", false},
                     {"symptoms", false}, {"home_observation", false}};
    PersonRecord r{personFromJson(j).person, updatedAt, verifiedAt, verifiedAt ? "王" : ""};
    return r;
}

} // namespace

TEST_CASE("base64url round-trips and refuses padding and foreign characters")
{
    Bytes b{0, 1, 2, 250, 251, 252, 253, 254, 255};
    std::string t = toBase64Url(b);
    CHECK(t.find_first_of("+/=") == std::string::npos);
    CHECK(fromBase64Url(t) == b);
    CHECK_FALSE(fromBase64Url(t + "="));
    CHECK_FALSE(fromBase64Url("ab+c"));
    CHECK_FALSE(fromBase64Url("a"));
}

TEST_CASE("tokens are 32 random bytes and are stored as a hash")
{
    std::string a = newToken(), b = newToken();
    CHECK(a.size() == 43);
    CHECK(fromBase64Url(a)->size() == 32);
    CHECK(a != b);
    CHECK(tokenHash(a) == tokenHash(a));
    CHECK(tokenHash(a) != tokenHash(b));
    CHECK(tokenHash(a).size() == 64);
    CHECK(tokenHash(a).find(a) == std::string::npos);
}

TEST_CASE("a key pair's id is the first 4 bytes of BLAKE2b of the public key")
{
    BoxKeyPair k = newBoxKeyPair();
    CHECK(keysMatch(k));
    std::string id = keyId(k.publicKey);
    CHECK(id.size() == 8);
    CHECK(id == keyId(k.publicKey));
    BoxKeyPair other = newBoxKeyPair();
    CHECK(keyId(other.publicKey) != id);
    other.publicKey = k.publicKey;
    CHECK_FALSE(keysMatch(other));
}

TEST_CASE("an enrollment code opens with its passphrase only, typed any way")
{
    std::string pass = newPassphrase();
    REQUIRE(pass.size() == 24);
    CHECK(pass[4] == '-');
    CHECK(pass.find_first_of("01OI") == std::string::npos);
    auto code = sealEnrollment(R"({"v":1})", pass);
    REQUIRE(code);
    CHECK(code->starts_with("GPE1:"));
    CHECK(*openEnrollment(*code, pass) == R"({"v":1})");

    std::string typed = normalizePassphrase(pass);
    for (char& c : typed)
        c = char(std::tolower(c));
    CHECK(*openEnrollment(" " + *code + "\n", typed.substr(0, 7) + " " + typed.substr(7)) == R"({"v":1})");

    CHECK(openEnrollment(*code, newPassphrase()).error().code == "enroll.wrong_passphrase");
    std::string altered = *code;
    altered[altered.size() - 3] = altered[altered.size() - 3] == 'A' ? 'B' : 'A';
    CHECK(openEnrollment(altered, pass).error().code == "enroll.wrong_passphrase");
    CHECK(openEnrollment(code->substr(0, 40), pass).error().code == "enroll.damaged");
    CHECK(openEnrollment(code->substr(0, code->size() - 1) + "*", pass).error().code == "enroll.damaged");
    CHECK(openEnrollment("GP2:ABC", pass).error().code == "enroll.foreign");
}

TEST_CASE("the gate's core enrols with the office's code, opened the way the console's worker opens it")
{
    TempDir dir;
    fs::create_directories(dir.path);
    auto c = initCommunity({"C001", "八角路社区", "https://gate.example.org/", (dir.path / "key").string()});
    REQUIRE(c);
    auto key = readCommunityKey((dir.path / "key").string());
    EnrollmentInput in{*c, {{*key, c->keyId, 0}}, "北门", newGateKey(), "https://office.example.org/api/upload", newToken()};
    auto e = makeEnrollment(in);
    REQUIRE(e);

    auto store = Store::open((dir.path / "gate.sqlite").string());
    REQUIRE(store);
    Api api(std::move(*store));
    auto call = [&](nlohmann::json req) { return nlohmann::json::parse(api.call(req.dump())); };

    // What web/shared/enroll.js does with libsodium-wrappers-sumo, with libsodium here.
    auto open = [&](const std::string& typed) -> std::optional<std::string> {
        auto prep = call({{"op", "enroll.prepare"}, {"code", e->code}, {"passphrase", typed}});
        REQUIRE(prep["ok"] == true);
        auto salt = fromBase64Url(prep["salt"].get<std::string>());
        auto nonce = fromBase64Url(prep["nonce"].get<std::string>());
        auto box = fromBase64Url(prep["box"].get<std::string>());
        const std::string p = prep["passphrase"];
        uint8_t k[crypto_secretbox_KEYBYTES];
        REQUIRE(crypto_pwhash(k, sizeof k, p.data(), p.size(), salt->data(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) == 0);
        std::string json(box->size() - crypto_secretbox_MACBYTES, '\0');
        if (crypto_secretbox_open_easy(reinterpret_cast<uint8_t*>(json.data()), box->data(), box->size(), nonce->data(), k) != 0)
            return std::nullopt;
        return json;
    };
    CHECK_FALSE(open(newPassphrase()));
    CHECK(call({{"op", "gate.enroll"}})["error"]["code"] == "enroll.wrong_passphrase");

    std::string lower = e->passphrase;
    for (char& ch : lower)
        ch = char(std::tolower(ch));
    auto json = open(" " + lower + " ");
    REQUIRE(json);
    auto r = call({{"op", "gate.enroll"}, {"enrollment", *json}});
    REQUIRE(r["ok"] == true);
    CHECK(r["settings"]["community_code"] == "C001");
    CHECK(r["settings"]["site"] == "https://gate.example.org/");
    CHECK(r["settings"]["gate_name"] == "北门");
    CHECK(r["settings"]["upload_url"] == in.uploadUrl);
    CHECK(r["keys_set"] == true);
    CHECK(r.dump().find(in.token) == std::string::npos);
    CHECK(r.dump().find(toBase64Url(key->secretKey)) == std::string::npos);
}

TEST_CASE("community init writes the key 0600, refuses to overwrite, and the poster URL carries code, name and key")
{
    TempDir dir;
    auto c = initCommunity({"C001", "八角路社区", "https://gate.example.org", dir.path.string()});
    REQUIRE(c);
    CHECK(c->site == "https://gate.example.org/");
    struct stat st {};
    REQUIRE(stat((dir.path / "community.key").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(posterUrl(*c) == "https://gate.example.org/resident/?c=C001&n=%E5%85%AB%E8%A7%92%E8%B7%AF%E7%A4%BE%E5%8C%BA&k=" + c->publicKey);

    auto again = initCommunity({"C001", "八角路社区", "https://gate.example.org/", dir.path.string()});
    CHECK(again.error().code == "community.exists");

    auto read = readCommunity(dir.path.string());
    REQUIRE(read);
    CHECK(read->publicKey == c->publicKey);
    CHECK(read->keyId == c->keyId);
    auto key = readCommunityKey(dir.path.string());
    REQUIRE(key);
    CHECK(toBase64Url(key->publicKey) == c->publicKey);

    std::ofstream(dir.path / "community.pub") << toBase64Url(newBoxKeyPair().publicKey) << "\n";
    CHECK(readCommunity(dir.path.string()).error().code == "community.files");
    CHECK(readCommunityKey(dir.path.string()).error().code == "community.key");
}

TEST_CASE("community init refuses a bad code, name or plain-http site")
{
    TempDir dir;
    CHECK(initCommunity({"C 001", "八角路", "https://h/", dir.path.string()}).error().code == "community.code");
    CHECK(initCommunity({"C001", "", "https://h/", dir.path.string()}).error().code == "community.name");
    CHECK(initCommunity({"C001", "八角路", "http://gate.example.org/", dir.path.string()}).error().code == "site.url");
    CHECK(initCommunity({"C001", "八角路", "http://127.0.0.1:8000/", dir.path.string()}));
}

TEST_CASE("an enrollment carries community, gate, key, gate key, upload address and token")
{
    TempDir dir;
    auto c = initCommunity({"C001", "八角路社区", "https://gate.example.org/", dir.path.string()});
    REQUIRE(c);
    auto key = readCommunityKey(dir.path.string());
    EnrollmentInput in{*c, *readCommunityKeys(dir.path.string(), 0), "北门", newGateKey(), "https://office.example.org/api/upload", newToken()};
    auto e = makeEnrollment(in);
    REQUIRE(e);
    auto j = nlohmann::json::parse(*openEnrollment(e->code, e->passphrase));
    CHECK(j["v"] == 1);
    CHECK(j["community"]["code"] == "C001");
    CHECK(j["community"]["name"] == "八角路社区");
    CHECK(j["site"] == "https://gate.example.org/");
    CHECK(j["gate"] == "北门");
    CHECK(j["keys"][0]["id"] == c->keyId);
    CHECK(j["keys"][0]["public_key"] == c->publicKey);
    CHECK(j["keys"][0]["secret_key"] == toBase64Url(key->secretKey));
    CHECK(fromBase64Url(j["gate_key"].get<std::string>())->size() == 32);
    CHECK(j["upload_url"] == in.uploadUrl);
    CHECK(j["token"] == in.token);
    CHECK(j["retention_days"] == 28);
    CHECK(e->code.find(in.token) == std::string::npos);

    in.uploadUrl.clear();
    auto plain = nlohmann::json::parse(enrollmentJson(in));
    CHECK_FALSE(plain.contains("upload_url"));
    CHECK_FALSE(plain.contains("token"));
    CHECK_FALSE(plain.contains("revocations")); // none given (no office database): none written, the gate keeps what it holds
    in.revocations = std::vector<Revocation>{{"card", "OF-1", "挂失", 1}, {"person", "11010519491231002X", "已搬离", 2}};
    auto carried = parseEnrollment(enrollmentJson(in));
    REQUIRE(carried);
    CHECK(carried->revocations == in.revocations);

    auto svg = qrSvg(e->code);
    REQUIRE(svg);
    CHECK(svg->starts_with("<svg"));

    // An office with many revocations: the code carries the newest that fit
    // kMaxEnrollmentCodeChars (nearly filling it), says how many, and opens to them.
    std::vector<Revocation> many;
    for (int i = 1; i <= 60; ++i)
        many.push_back({i % 3 ? "card" : "person", i % 3 ? "OF-" + std::to_string(i) : "1101051949123100" + std::to_string(10 + i % 90),
                        "卡丢失", int64_t(1'000 * i)});
    in.revocations = many;
    auto big = makeEnrollment(in);
    REQUIRE(big);
    CHECK(big->code.size() <= kMaxEnrollmentCodeChars);
    CHECK(big->code.size() > kMaxEnrollmentCodeChars - 140); // about one more row would not have fitted (a row is ~95–115 characters of code)
    CHECK(big->revocationsHeld == 60);
    REQUIRE(big->revocationsCarried > 5);
    REQUIRE(big->revocationsCarried < 60);
    auto opened = parseEnrollment(*openEnrollment(big->code, big->passphrase));
    REQUIRE(opened);
    REQUIRE(opened->revocations);
    REQUIRE(int(opened->revocations->size()) == big->revocationsCarried);
    for (size_t i = 0; i < opened->revocations->size(); ++i)
        CHECK((*opened->revocations)[i] == many[many.size() - 1 - i]); // the newest first
    CHECK(qrSvg(big->code));

    // A busy week of visitors (VisitorUse.h): their uses, all newer, come after every withdrawal.
    std::vector<Revocation> withUses = many;
    for (int i = 0; i < 40; ++i) {
        char id[17];
        std::snprintf(id, sizeof id, "%016x", i);
        withUses.push_back({"person", "VP-" + std::string(id), std::string(kVisitorUsedReason), int64_t(100'000 + i)});
    }
    in.revocations = withUses;
    auto busy = makeEnrollment(in);
    REQUIRE(busy);
    auto busyOpened = parseEnrollment(*openEnrollment(busy->code, busy->passphrase));
    REQUIRE(busyOpened);
    REQUIRE(busyOpened->revocations);
    CHECK(*busyOpened->revocations == *opened->revocations); // the same withdrawals as without the uses
}

TEST_CASE("a key rotation keeps the old pair for its grace, and enrollments carry both until then")
{
    TempDir dir;
    const std::string d = dir.path.string();
    auto c = initCommunity({"C001", "八角路社区", "https://gate.example.org/", d});
    REQUIRE(c);
    const int64_t now = 1'800'000'000'000;
    const int64_t day = 86'400'000;
    CHECK(rotateCommunityKey({d, 0, now}).error().code == "community.grace");
    CHECK(rotateCommunityKey({d, 91, now}).error().code == "community.grace");
    CHECK(readCommunity(d)->publicKey == c->publicKey); // refused: nothing changed

    auto next = rotateCommunityKey({d, 14, now});
    REQUIRE(next);
    CHECK(next->publicKey != c->publicKey);
    CHECK(posterUrl(*next).ends_with("k=" + next->publicKey));
    struct stat st {};
    REQUIRE(stat((dir.path / "retired" / (c->keyId + ".key")).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    auto read = readCommunity(d);
    REQUIRE(read);
    CHECK(read->publicKey == next->publicKey);
    REQUIRE(read->retired.size() == 1);
    CHECK(read->retired[0].keyId == c->keyId);
    CHECK(read->retired[0].untilMs == now + 14 * day);

    auto keys = readCommunityKeys(d, now + day);
    REQUIRE(keys);
    REQUIRE(keys->size() == 2);
    CHECK((*keys)[0].keyId == next->keyId);
    CHECK((*keys)[0].untilMs == 0);
    CHECK((*keys)[1].keyId == c->keyId);
    CHECK(toBase64Url((*keys)[1].pair.publicKey) == c->publicKey);
    CHECK(readCommunityKeys(d, now + 15 * day)->size() == 1); // the grace is over

    // The enrollment carries both, and the gate's core takes them.
    EnrollmentInput in{*next, *keys, "北门", newGateKey(), "", ""};
    auto j = nlohmann::json::parse(enrollmentJson(in));
    REQUIRE(j["keys"].size() == 2);
    CHECK_FALSE(j["keys"][0].contains("until"));
    CHECK(j["keys"][1]["until"] == now + 14 * day);
    auto parsed = gatepass::parseEnrollment(enrollmentJson(in));
    REQUIRE(parsed);
    auto held = gatepass::communityKeys(parsed->keysJson);
    REQUIRE(held.size() == 2);
    CHECK(held[1].untilMs == now + 14 * day);

    // A second rotation after the first grace: only the key just retired is kept.
    auto third = rotateCommunityKey({d, 7, now + 20 * day});
    REQUIRE(third);
    REQUIRE(third->retired.size() == 1);
    CHECK(third->retired[0].keyId == next->keyId);
    CHECK(readCommunityKeys(d, now + 20 * day)->size() == 2);

    // A retired pair whose files no longer match is refused, not skipped.
    std::ofstream(dir.path / "retired" / (next->keyId + ".pub")) << toBase64Url(newBoxKeyPair().publicKey) << "\n";
    CHECK(readCommunityKeys(d, now + 20 * day).error().code == "community.key");
}

TEST_CASE("person merge: the newer record wins, a verification is kept, conflicts are masked")
{
    auto none = mergePerson(std::nullopt, person("张三", 100));
    CHECK(none.write);
    CHECK(none.added);

    auto newer = mergePerson(person("张三", 100, 50), person("张四", 200));
    CHECK(newer.write);
    CHECK(newer.merged.person.name == "张四");
    CHECK(newer.merged.verifiedAt == 50);
    REQUIRE(newer.conflict);
    CHECK(newer.conflict->code == "merge.newer_incoming");
    CHECK(newer.conflict->en.find("11010519491231002X") == std::string::npos);

    auto older = mergePerson(person("张三", 300), person("张四", 200, 60));
    CHECK(older.write); // the verification it brings is kept
    CHECK(older.merged.person.name == "张三");
    CHECK(older.merged.verifiedAt == 60);
    CHECK(older.conflict->code == "merge.newer_kept");

    auto same = mergePerson(person("张三", 100), person("张三", 100));
    CHECK_FALSE(same.write);
    CHECK_FALSE(same.conflict);
}

TEST_CASE("rate limiter: a burst, then one per interval, per gate")
{
    RateLimiter r({/*perMinute*/ 6, /*burst*/ 3});
    CHECK(r.take("g", 0) == 0);
    CHECK(r.take("g", 0) == 0);
    CHECK(r.take("g", 0) == 0);
    CHECK(r.take("g", 0) == 10);
    CHECK(r.take("other", 0) == 0);
    CHECK(r.take("g", 5'000) == 5);
    CHECK(r.take("g", 10'001) == 0);
    CHECK(r.take("g", 10'001) > 0);
}

namespace {

// A gate of C001 with one verified person and an entry, holding `gateKey` ("" : not enrolled).
Store macGate(const fs::path& file, const std::string& gateKey, const std::string& gate = "北门")
{
    auto store = Store::open(file.string());
    REQUIRE(store);
    Settings s;
    s.communityCode = "C001";
    s.communityName = "八角路社区";
    s.gateName = gate;
    s.gateKey = gateKey;
    REQUIRE(store->saveSettings(s));
    PersonRecord r = person("张喆", 1'795'917'000'000, 1'795'917'000'000);
    REQUIRE(store->savePerson(r));
    REQUIRE(store->addEntry(Entry{newEntryId(), r.person.docNumber, r.person.name, r.person.personType, 1'795'917'100'000,
                                  Direction::In, 36.5, Verdict::Allow, {}, gate, "小李"}));
    return std::move(*store);
}

std::string line(const std::string& text, int n)
{
    size_t at = 0;
    for (int i = 0; i < n; ++i)
        at = text.find('\n', at) + 1;
    return text.substr(at, text.find('\n', at) - at);
}

} // namespace

TEST_CASE("a gate's batch MAC is libsodium's crypto_auth under its gate key over magic, header without mac, and body")
{
    TempDir dir;
    fs::create_directories(dir.path);
    const std::string key = newGateKey();
    Store gate = macGate(dir.path / "gate.sqlite", key);
    auto b = exportPending(gate, Clock{1'795'917'600'000, 480}, passCrypto());
    REQUIRE(b);
    const std::string header = line(b->text, 1);
    const size_t at = header.rfind(",\"mac\":\"");
    REQUIRE(at != std::string::npos);
    const std::string mac = header.substr(at + 8, header.size() - at - 10);
    const std::string body = b->text.substr(b->text.find('\n', b->text.find('\n') + 1) + 1);
    // The construction, computed here directly: what the browser's libsodium-wrappers must match.
    const std::string message = "GATEPASS-BATCH 2\n" + header.substr(0, at) + "}\n" + body;
    auto k = fromBase64Url(key);
    uint8_t tag[crypto_auth_BYTES];
    crypto_auth(tag, reinterpret_cast<const uint8_t*>(message.data()), message.size(), k->data());
    CHECK(mac == toBase64Url(tag));

    auto parsed = parseBatch(b->text);
    REQUIRE(parsed);
    CHECK_FALSE(authenticateBatch(b->text, *parsed, key, passCrypto()));
    CHECK(authenticateBatch(b->text, *parsed, newGateKey(), passCrypto())->code == "batch.unauthenticated"); // another gate's key
    CHECK(authenticateBatch(b->text, *parsed, std::nullopt, passCrypto())->code == "batch.unauthenticated"); // unknown gate
    CHECK(authenticateBatch(b->text, *parsed, key, PassCrypto{})->code == "crypto.unavailable");
}

TEST_CASE("a stored export without a MAC, or MACed with a key the gate no longer holds, is MACed again with the same body")
{
    TempDir dir;
    fs::create_directories(dir.path);
    const Clock now{1'795'917'600'000, 480};
    Store gate = macGate(dir.path / "gate.sqlite", ""); // exported before the gate was enrolled
    auto plain = exportPending(gate, now, passCrypto());
    REQUIRE(plain);
    CHECK(plain->text.find("\"mac\"") == std::string::npos);
    auto before = parseBatch(plain->text);

    Settings s = gate.settings();
    s.gateKey = newGateKey();
    REQUIRE(gate.saveSettings(s));
    REQUIRE(macStoredExport(gate, 1, passCrypto()));
    auto macd = parseBatch(*gate.exportFile(1));
    REQUIRE(macd);
    CHECK(macd->header.bodySha256 == before->header.bodySha256); // the office counts it once
    CHECK_FALSE(authenticateBatch(*gate.exportFile(1), *macd, s.gateKey, passCrypto()));
    const std::string once = *gate.exportFile(1);
    REQUIRE(macStoredExport(gate, 1, passCrypto()));
    CHECK(*gate.exportFile(1) == once); // a current MAC: nothing changes

    s.gateKey = newGateKey(); // enrolled again while the batch waited
    REQUIRE(gate.saveSettings(s));
    REQUIRE(macStoredExport(gate, 1, passCrypto()));
    auto again = parseBatch(*gate.exportFile(1));
    CHECK(again->header.bodySha256 == before->header.bodySha256);
    CHECK_FALSE(authenticateBatch(*gate.exportFile(1), *again, s.gateKey, passCrypto()));
}

namespace {

// The keys array an enrollment code gives a gate (RecordJson communityKeys).
std::string keysJson(const std::vector<BoxKeyPair>& pairs)
{
    nlohmann::json list = nlohmann::json::array();
    for (const BoxKeyPair& p : pairs)
        list.push_back({{"id", keyId(p.publicKey)}, {"secret_key", toBase64Url(p.secretKey)}, {"public_key", toBase64Url(p.publicKey)}});
    return list.dump();
}

// An enrolled gate: its gate key and its community's key pair.
Store sealingGate(const fs::path& file, const std::string& gateKey, const BoxKeyPair& community, const std::string& gate = "北门")
{
    Store store = macGate(file, gateKey, gate);
    Settings s = store.settings();
    s.communityKeys = keysJson({community});
    REQUIRE(store.saveSettings(s));
    return store;
}

bool holds(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

const Clock kSealNow{1'795'917'600'000, 480};

nlohmann::json ask(Api& api, nlohmann::json request)
{
    request["now"] = kSealNow.unixMs;
    request["tz"] = 480;
    return nlohmann::json::parse(api.call(request.dump()));
}

} // namespace

TEST_CASE("a gate holding its community key writes format 3: nothing personal in the file, and the office's key opens it")
{
    TempDir dir;
    fs::create_directories(dir.path);
    const std::string key = newGateKey();
    const BoxKeyPair community = newBoxKeyPair();
    const PersonRecord who = person("张喆", 1'795'917'000'000, 1'795'917'000'000);
    // The same records, once from a gate without the community key (format 2): the check finds them there.
    Store plainGate = macGate(dir.path / "plain.sqlite", key);
    auto plain = exportPending(plainGate, kSealNow, passCrypto());
    REQUIRE(plain);
    CHECK(plain->text.starts_with("GATEPASS-BATCH 2\n"));
    CHECK(exportFormat(plainGate.settings()) == kBatchFormat); // what info says the next export is
    for (const std::string& personal : {who.person.docNumber, who.person.phone, who.person.name, who.person.address})
        CHECK(holds(plain->text, personal));

    Store gate = sealingGate(dir.path / "gate.sqlite", key, community);
    auto sealed = exportPending(gate, kSealNow, passCrypto());
    REQUIRE(sealed);
    CHECK(sealed->text.starts_with("GATEPASS-BATCH 3\n"));
    CHECK(exportFormat(gate.settings()) == kBatchFormatSealed);
    for (const std::string& personal : {who.person.docNumber, who.person.phone, who.person.name, who.person.address, std::string("小李")})
        CHECK_FALSE(holds(sealed->text, personal));
    CHECK(sealed->text.find('\n', sealed->text.find('\n', sealed->text.find('\n') + 1) + 1) == sealed->text.size() - 1); // one body line

    BatchKeys office{{{keyId(community.publicKey), toBase64Url(community.secretKey), toBase64Url(community.publicKey), 0}}, passCrypto()};
    auto parsed = parseBatch(sealed->text, office);
    REQUIRE(parsed);
    CHECK(parsed->format == 3);
    REQUIRE(parsed->persons.size() == 1);
    CHECK(parsed->persons.front().person == who.person);
    CHECK(parsed->entries.size() == 1);
    CHECK_FALSE(authenticateBatch(sealed->text, *parsed, key, passCrypto()));
    // The MAC covers the sealed line as written: the construction, computed here directly.
    const std::string header = line(sealed->text, 1);
    const size_t at = header.rfind(",\"mac\":\"");
    const std::string message = "GATEPASS-BATCH 3\n" + header.substr(0, at) + "}\n" + line(sealed->text, 2) + "\n";
    auto k = fromBase64Url(key);
    uint8_t tag[crypto_auth_BYTES];
    crypto_auth(tag, reinterpret_cast<const uint8_t*>(message.data()), message.size(), k->data());
    CHECK(header.substr(at + 8, header.size() - at - 10) == toBase64Url(tag));

    // A format-2 export still queued when its gate got the community key is sealed before it leaves
    // (macStoredExport), with the same body: one batch to the office, sealed or not.
    Settings enrolled = plainGate.settings();
    enrolled.communityKeys = keysJson({community});
    REQUIRE(plainGate.saveSettings(enrolled));
    REQUIRE(macStoredExport(plainGate, 1, passCrypto()));
    const std::string upgraded = *plainGate.exportFile(1);
    CHECK(upgraded.starts_with("GATEPASS-BATCH 3\n"));
    CHECK_FALSE(holds(upgraded, who.person.docNumber));
    auto reopened = parseBatch(upgraded, office);
    REQUIRE(reopened);
    CHECK(reopened->header.bodySha256 == parseBatch(plain->text)->header.bodySha256);
    CHECK_FALSE(authenticateBatch(upgraded, *reopened, key, passCrypto()));

    // The gate's own stored export opens again with its keys (batch.get's CSV).
    auto again = exportedBatch(gate, 1, 480, passCrypto());
    REQUIRE(again);
    CHECK(again->text == sealed->text);
    CHECK(holds(again->csv, who.person.name));
}

TEST_CASE("a sealed batch without the community key, or with another community's, is refused by name, nothing stored")
{
    TempDir dir;
    fs::create_directories(dir.path);
    const std::string key = newGateKey();
    const BoxKeyPair community = newBoxKeyPair(), other = newBoxKeyPair();
    Store gate = sealingGate(dir.path / "gate.sqlite", key, community);
    const std::string text = exportPending(gate, kSealNow, passCrypto())->text;

    auto none = parseBatch(text, BatchKeys{{}, passCrypto()});
    REQUIRE_FALSE(none);
    CHECK(none.error().code == "batch.sealed_no_key");
    CHECK_FALSE(none.error().zh.empty());
    CHECK_FALSE(none.error().en.empty());
    BatchKeys wrong{{{keyId(other.publicKey), toBase64Url(other.secretKey), toBase64Url(other.publicKey), 0}}, passCrypto()};
    auto otherKey = parseBatch(text, wrong);
    REQUIRE_FALSE(otherKey);
    CHECK(otherKey.error().code == "batch.sealed_other_key");
    CHECK_FALSE(otherKey.error().zh.empty());
    // Another pair under the right id (a forged key_id match) does not open it either.
    wrong.keys.front().id = keyId(community.publicKey);
    CHECK(parseBatch(text, wrong).error().code == "batch.damaged");

    // A console not enrolled (no keys) takes nothing from it.
    auto south = Store::open((dir.path / "south.sqlite").string());
    REQUIRE(south);
    Settings s;
    s.communityCode = "C001";
    s.gateName = "南门";
    REQUIRE(south->saveSettings(s));
    Api api(std::move(*south), passCrypto());
    nlohmann::json r = ask(api, {{"op", "batch.import"}, {"text", text}});
    CHECK(r["error"]["code"] == "batch.sealed_no_key");
    r = ask(api, {{"op", "stats"}});
    CHECK(r["persons"] == 0);
}

TEST_CASE("an enrolled console imports another gate's sealed batch; an altered sealed body is refused")
{
    TempDir dir;
    fs::create_directories(dir.path);
    const BoxKeyPair community = newBoxKeyPair();
    Store north = sealingGate(dir.path / "north.sqlite", newGateKey(), community);
    const std::string text = exportPending(north, kSealNow, passCrypto())->text;

    auto south = Store::open((dir.path / "south.sqlite").string());
    REQUIRE(south);
    Settings s;
    s.communityCode = "C001";
    s.gateName = "南门";
    s.gateKey = newGateKey();
    s.communityKeys = keysJson({community});
    REQUIRE(south->saveSettings(s));
    Api api(std::move(*south), passCrypto());
    auto import = [&](const std::string& t) {
        return ask(api, {{"op", "batch.import"}, {"text", t}});
    };
    // One base64url character of the sealed line changed (still base64url): the sealed box does not open.
    std::string altered = text;
    const size_t bodyAt = text.find('\n', text.find('\n') + 1) + 1;
    altered[bodyAt + 40] = altered[bodyAt + 40] == 'A' ? 'B' : 'A';
    nlohmann::json r = import(altered);
    CHECK(r["ok"] == false);
    CHECK(r["error"]["code"] == "batch.damaged");
    // Cut short by one byte.
    CHECK(import(text.substr(0, text.size() - 2) + "\n")["ok"] == false);
    CHECK(ask(api, {{"op", "stats"}})["persons"] == 0);

    r = import(text);
    REQUIRE(r["ok"] == true);
    CHECK(r["added_persons"] == 1);
    CHECK(r["added_entries"] == 1);
}

TEST_CASE("an office opens sealed batches with every pair its key folder holds, retired ones included")
{
    TempDir dir;
    CommunityInit init{"C001", "八角路社区", "https://gate.example.org/gp/", (dir.path / "keys").string()};
    auto c = initCommunity(init);
    REQUIRE(c);
    auto first = batchOpeningKeys(c->keyDir);
    REQUIRE(first);
    REQUIRE(first->size() == 1);
    auto pair = readCommunityKey(c->keyDir);
    REQUIRE(pair);
    Store gate = sealingGate(dir.path / "gate.sqlite", newGateKey(), *pair);
    const std::string oldText = exportPending(gate, kSealNow, passCrypto())->text;

    REQUIRE(rotateCommunityKey({c->keyDir, 1, kSealNow.unixMs}));
    // Long after the grace: a gate not enrolled again still sealed to the old key, and the office still opens it.
    auto keys = batchOpeningKeys(c->keyDir);
    REQUIRE(keys);
    CHECK(keys->size() == 2);
    CHECK(parseBatch(oldText, BatchKeys{*keys, passCrypto()}));
}
