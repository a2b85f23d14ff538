#include "EnrollmentCode.h"

#include "Base64Url.h"

#include <sodium.h>

#include <cctype>

namespace gatepass::crypto {

namespace {

// 32 symbols (5 bits each) without 0/O and 1/I, which are misread on paper.
constexpr std::string_view kAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr size_t kGroups = 5, kGroupLength = 4;
constexpr size_t kSalt = crypto_pwhash_SALTBYTES, kNonce = crypto_secretbox_NONCEBYTES, kKey = crypto_secretbox_KEYBYTES;
static_assert(kSalt == kEnrollmentSaltBytes && kNonce == kEnrollmentNonceBytes &&
              crypto_secretbox_MACBYTES == kEnrollmentMacBytes, "the core splits codes with libsodium's sizes");

Message fail(std::string code, std::string zh, std::string en) { return Message{std::move(code), std::move(zh), std::move(en), ""}; }

bool deriveKey(uint8_t* key, std::string_view passphrase, const uint8_t* salt)
{
    std::string p = normalizePassphrase(passphrase);
    bool ok = crypto_pwhash(key, kKey, p.data(), p.size(), salt, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) == 0;
    wipe(p);
    return ok;
}

} // namespace

std::string newPassphrase()
{
    sodiumReady();
    std::string out;
    for (size_t g = 0; g < kGroups; ++g) {
        if (g)
            out += '-';
        for (size_t i = 0; i < kGroupLength; ++i)
            out += kAlphabet[randombytes_uniform(uint32_t(kAlphabet.size()))];
    }
    return out;
}

Result<std::string> sealEnrollment(std::string_view json, std::string_view passphrase)
{
    if (!sodiumReady())
        return fail("crypto.unavailable", "加密库无法初始化", "The cryptography library cannot start");
    Bytes out(kSalt + kNonce + crypto_secretbox_MACBYTES + json.size());
    randombytes_buf(out.data(), kSalt + kNonce);
    uint8_t key[kKey];
    if (!deriveKey(key, passphrase, out.data()))
        return fail("crypto.out_of_memory", "内存不足，无法生成登记码", "Not enough memory to make the enrollment code");
    crypto_secretbox_easy(out.data() + kSalt + kNonce, reinterpret_cast<const uint8_t*>(json.data()), json.size(),
                          out.data() + kSalt, key);
    sodium_memzero(key, sizeof key);
    return std::string(kEnrollmentPrefix) + toBase64Url(out);
}

Result<std::string> openEnrollment(std::string_view code, std::string_view passphrase)
{
    if (!sodiumReady())
        return fail("crypto.unavailable", "加密库无法初始化", "The cryptography library cannot start");
    // The shape (prefix, base64url, length) is checked where the console checks it.
    auto sealed = splitEnrollmentCode(code);
    if (!sealed)
        return sealed.error();
    uint8_t key[kKey];
    if (!deriveKey(key, passphrase, sealed->salt.data()))
        return fail("crypto.out_of_memory", "内存不足，无法打开登记码", "Not enough memory to open the enrollment code");
    std::string json(sealed->box.size() - crypto_secretbox_MACBYTES, '\0');
    bool opened = crypto_secretbox_open_easy(reinterpret_cast<uint8_t*>(json.data()), sealed->box.data(), sealed->box.size(),
                                             sealed->nonce.data(), key) == 0;
    sodium_memzero(key, sizeof key);
    if (!opened)
        return wrongPassphrase();
    return json;
}

} // namespace gatepass::crypto
