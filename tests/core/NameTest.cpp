// Item 1: names as written on documents, in any script, kept whole.
#include "Fixtures.h"

#include <catch2/catch.hpp>

using namespace gatepass;
using namespace gatepass::test;

namespace {

Validated withName(std::string name)
{
    Person p = samplePerson();
    p.name = std::move(name);
    return validate(p, kNow.today());
}

} // namespace

TEST_CASE("names as on documents: Latin punctuation, accents, the middle dot, any script", "[validation][name]")
{
    struct Case {
        std::string typed, stored;
    };
    const Case ok[] = {
        {"SMITH, JOHN", "SMITH, JOHN"},
        {"O'BRIEN, MARY-JANE", "O'BRIEN, MARY-JANE"},
        {"O\u2019Brien", "O'Brien"},                // the phone keyboard's apostrophe
        {"Jean\u2010Luc", "Jean-Luc"},              // a typographic hyphen
        {"ST. JOHN, A.", "ST. JOHN, A."},
        {"Zoë Ångström", "Zoë Ångström"},
        {"Nguyễn Văn An", "Nguyễn Văn An"},
        {"Jose\u0301", "Jose\u0301"},               // a decomposed accent
        {"阿卜杜.热合曼", "阿卜杜·热合曼"},         // a full stop between Chinese: the middle dot
        {"阿依古丽•买买提", "阿依古丽·买买提"},
        {"Ольга Иванова", "Ольга Иванова"},
        {"محمد", "محمد"},
        {"김민준", "김민준"},
        {"さとう はなこ", "さとう はなこ"},
        {"Καλλιόπη", "Καλλιόπη"},
        {"ᠪᠠᠲᠤ", "ᠪᠠᠲᠤ"},                          // Mongolian script
        {"\U00020BB7野家", "\U00020BB7野家"},       // 𠮷, CJK Extension B
        {"Kaʻiulani", "Kaʻiulani"},                // the Hawaiian ʻokina, a modifier letter
    };
    for (const Case& c : ok) {
        INFO(c.typed);
        Validated v = withName(c.typed);
        REQUIRE(v.ok());
        CHECK(v.person.name == c.stored);
        CHECK(withName(v.person.name).person.name == v.person.name); // the stored spelling is stable
    }
    const std::string bad[] = {"张三1", "SMITH; JOHN", ".SMITH", "John 😀", "-SMITH", ",SMITH", "SMITH,", "·张三", "...", "'-,", "\u0301abc",
                               "Ivan٣", "A@B"};
    for (const std::string& name : bad) {
        INFO(name);
        Validated v = withName(name);
        REQUIRE_FALSE(v.ok());
        CHECK(v.errors.front().field == "name");
        CHECK(v.errors.front().code == "name.characters");
        CHECK_FALSE(v.errors.front().en.empty());
    }
}

TEST_CASE("a CJK Extension B character counts as one and survives the pass and the store", "[name][pass]")
{
    const std::string kichi = "\U00020BB7"; // 𠮷: four bytes of UTF-8, two UTF-16 units, one character
    REQUIRE(kichi.size() == 4);
    std::string longest;
    for (int i = 0; i < 40; ++i)
        longest += kichi;
    CHECK(withName(longest).ok()); // 40 characters (the most a name takes), not 160 bytes
    CHECK(withName(longest + kichi).errors.front().code == "text.too_long");

    Person p = samplePerson();
    p.name = kichi + "野家";
    auto text = encodePass(p, kNow.unixMs);
    REQUIRE(text);
    auto back = decodePass(*text);
    REQUIRE(back);
    CHECK(back->person.name == p.name);

    TempDb file;
    Api api(file.open());
    auto saved = call(api, {{"op", "person.save"}, {"person", toJson(p)}});
    REQUIRE(saved["ok"].get<bool>());
    auto listed = call(api, {{"op", "person.list"}});
    CHECK(listed["records"][0]["person"]["name"] == p.name);
    CHECK(listed["records"][0]["person"]["name"].get<std::string>().find('?') == std::string::npos);
    auto decoded = call(api, {{"op", "pass.decode"}, {"text", *text}});
    CHECK(decoded["person"]["name"] == p.name);
}
