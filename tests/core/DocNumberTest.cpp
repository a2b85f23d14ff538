// Item 2: each document type's number shape, and messages that name the
// type a number of the wrong shape belongs to.
#include "Fixtures.h"

#include <catch2/catch.hpp>

using namespace gatepass;
using namespace gatepass::test;

namespace {

// The check character completes a 17-digit body.
std::string withCheck(std::string first17) { return first17 + idCheckCharacter(first17); }

Validated withDoc(DocType type, std::string number)
{
    Person p = samplePerson();
    p.docType = type;
    p.docNumber = std::move(number);
    return validate(p, kNow.today());
}

std::string codeOf(const Validated& v) { return v.errors.empty() ? "ok" : v.errors.front().field + ":" + v.errors.front().code; }

} // namespace

TEST_CASE("each document type takes its real number shape and refuses others", "[validation][doc]")
{
    struct Case {
        DocType type;
        std::string number;
        std::string code; // "ok", or field:code of the first error
    };
    const std::string permitHk = withCheck("81000019900101001"), permitTw = withCheck("83000019851231002");
    const std::string permanent = withCheck("91184019800101001"); // 9, Beijing, 840 (USA), born 1980-01-01
    const Case cases[] = {
        {DocType::ResidentId, "11010519491231002X", "ok"},
        {DocType::ResidentId, "11010519491231002", "doc_number:id.length"},
        {DocType::ResidencePermit, permitHk, "ok"},
        {DocType::ResidencePermit, permitTw, "ok"},
        {DocType::ResidencePermit, withCheck("84000019900101001"), "doc_number:id.region"},
        {DocType::ResidencePermit, withCheck("81000020990101001"), "doc_number:id.birth_future"},
        {DocType::HkMacaoPermit, "H12345678", "ok"},
        {DocType::HkMacaoPermit, "m 1234 5678", "ok"},
        {DocType::HkMacaoPermit, "H1234567801", "ok"}, // with the 2-digit issue count
        {DocType::HkMacaoPermit, "H1234567", "doc_number:doc.format"},
        {DocType::HkMacaoPermit, "K12345678", "doc_number:doc.other_type"}, // a HK passport's shape: 护照
        {DocType::HkMacaoPermit, "H123456789", "doc_number:doc.format"},
        {DocType::TaiwanPermit, "12345678", "ok"},
        {DocType::TaiwanPermit, "1234567", "doc_number:doc.format"},
        {DocType::TaiwanPermit, "1234567X", "doc_number:doc.format"},
        {DocType::ForeignPermanent, permanent, "ok"},
        {DocType::ForeignPermanent, "USA123456789012", "ok"},
        {DocType::ForeignPermanent, permanent.substr(0, 17) + (permanent[17] == '1' ? '2' : '1'), "doc_number:id.checksum"},
        {DocType::ForeignPermanent, withCheck("91184020990101001"), "doc_number:id.birth_date"},
        {DocType::ForeignPermanent, "US1234567890123", "doc_number:doc.other_type"}, // 15 letters/digits: a passport shape
        {DocType::Passport, "E12345678", "ok"},
        {DocType::Passport, "EA1234567", "ok"},
        {DocType::Passport, "123AB", "ok"},
        {DocType::Passport, "E123", "doc_number:doc.format"},
        {DocType::Passport, "E1234567890123456X", "doc_number:doc.format"}, // 18
        {DocType::Passport, "E123-4567", "doc_number:doc.format"},
        {DocType::Other, "AB-1234", "ok"},
        {DocType::Other, "AB-12<script>", "doc_number:doc.format"},
    };
    for (const Case& c : cases) {
        INFO(keyOf(c.type) << " " << c.number);
        Validated v = withDoc(c.type, c.number);
        CHECK(codeOf(v) == c.code);
        if (!v.ok()) {
            CHECK_FALSE(v.errors.front().zh.empty());
            CHECK_FALSE(v.errors.front().en.empty());
        }
    }
    Validated hk = withDoc(DocType::HkMacaoPermit, "m 1234 5678");
    CHECK(hk.person.docNumber == "M12345678");
    Validated pr = withDoc(DocType::ForeignPermanent, permanent);
    REQUIRE(pr.id); // the 2023 card carries the birth date where an ID card does
    CHECK(pr.id->birthDate.toString() == "1980-01-01");
}

TEST_CASE("a number of another type's shape says which type to pick, and offers it", "[validation][doc]")
{
    struct Case {
        DocType typed;
        std::string number;
        std::string_view fits; // the key of the type it belongs to
        std::string_view zhName;
    };
    const Case cases[] = {
        {DocType::ResidentId, "E12345678", "passport", "护照"},
        {DocType::ResidentId, "EA1234567", "passport", "护照"},
        {DocType::ResidentId, "H12345678", "hk_macao_permit", "港澳居民来往内地通行证"},
        {DocType::ResidentId, "M1234567801", "hk_macao_permit", "港澳居民来往内地通行证"},
        {DocType::ResidentId, "12345678", "taiwan_permit", "台湾居民来往大陆通行证"},
        {DocType::ResidentId, withCheck("82000019900101001"), "residence_permit", "港澳台居民居住证"},
        {DocType::ResidentId, withCheck("91184019800101001"), "foreign_permanent", "外国人永久居留身份证"},
        {DocType::ResidentId, "USA123456789012", "foreign_permanent", "外国人永久居留身份证"},
        {DocType::ResidencePermit, "11010519491231002X", "resident_id", "居民身份证"},
        {DocType::Passport, "11010519491231002X", "resident_id", "居民身份证"},
        {DocType::TaiwanPermit, "H12345678", "hk_macao_permit", "港澳居民来往内地通行证"},
    };
    for (const Case& c : cases) {
        INFO(keyOf(c.typed) << " " << c.number);
        Validated v = withDoc(c.typed, c.number);
        REQUIRE(v.errors.size() == 1);
        CHECK(v.errors[0].field == "doc_number");
        CHECK(v.errors[0].code == "doc.other_type");
        CHECK(v.errors[0].zh.find(c.zhName) != std::string::npos);
        CHECK(v.errors[0].en.find(std::string(choiceOf(*fromKey<DocType>(c.fits)).en)) != std::string::npos);
        REQUIRE(v.suggestions.size() == 1);
        CHECK(v.suggestions[0].field == "doc_type");
        CHECK(v.suggestions[0].value == c.fits);
        // The suggestion is right: the same number under that type passes.
        CHECK(withDoc(*fromKey<DocType>(c.fits), c.number).ok());
    }
    // A number that fits no type keeps its own type's rule, with no suggestion.
    Validated v = withDoc(DocType::ResidentId, "1234567890");
    CHECK(codeOf(v) == "doc_number:id.length");
    CHECK(v.suggestions.empty());
}

TEST_CASE("a 15-digit first-generation ID says how it became 18 digits and offers that number", "[validation][doc]")
{
    // GB 11643-1999's worked example: 110105 491231 002 is 11010519491231002X.
    CHECK(idNumber18From15("110105491231002") == "11010519491231002X");
    CHECK(idNumber18From15("440524800101001") == "440524198001010013");
    CHECK_FALSE(idNumber18From15("11010549123100"));
    CHECK_FALSE(idNumber18From15("11010549123100X"));

    Validated v = withDoc(DocType::ResidentId, "110105491231002");
    REQUIRE(v.errors.size() == 1);
    CHECK(v.errors[0].code == "id.first_generation");
    CHECK(v.errors[0].zh.find("19") != std::string::npos);
    CHECK(v.errors[0].zh.find("11010519491231002X") != std::string::npos);
    CHECK(v.errors[0].en.find("11010519491231002X") != std::string::npos);
    REQUIRE(v.suggestions.size() == 1);
    CHECK(v.suggestions[0].field == "doc_number");
    CHECK(v.suggestions[0].value == "11010519491231002X");
    CHECK(withDoc(DocType::ResidentId, v.suggestions[0].value).ok());

    // Not a real birth date once converted: the message, no number to offer.
    Validated bad = withDoc(DocType::ResidentId, "110105491331002");
    CHECK(codeOf(bad) == "doc_number:id.first_generation");
    CHECK(bad.suggestions.empty());
}

TEST_CASE("api: person.validate answers the suggestions beside the errors", "[api][doc]")
{
    TempDb file;
    Api api(file.open());
    auto person = toJson(samplePerson());
    person["doc_number"] = "E12345678";
    auto reply = call(api, {{"op", "person.validate"}, {"person", person}});
    CHECK_FALSE(reply["ok"].get<bool>());
    REQUIRE(reply["errors"].size() == 1);
    CHECK(reply["errors"][0]["code"] == "doc.other_type");
    REQUIRE(reply["suggestions"].size() == 1);
    CHECK(reply["suggestions"][0] == nlohmann::json{{"field", "doc_type"}, {"about", "doc_number"}, {"value", "passport"}, {"zh", "改选“护照”"}, {"en", "Choose \"Passport\""}});

    person["doc_number"] = "110105491231002";
    reply = call(api, {{"op", "person.save"}, {"person", person}});
    CHECK_FALSE(reply["ok"].get<bool>());
    CHECK(reply["suggestions"][0]["value"] == "11010519491231002X");
    CHECK(call(api, {{"op", "person.list"}})["records"].empty()); // nothing saved

    // The form offers the types in its order: the permits beside the residence permit, "other" last.
    auto fieldsReply = call(api, {{"op", "fields"}});
    std::vector<std::string> order;
    for (const auto& f : fieldsReply["fields"])
        if (f["key"] == "doc_type")
            for (const auto& c : f["choices"])
                order.push_back(c["value"]);
    CHECK(order == std::vector<std::string>{"resident_id", "residence_permit", "hk_macao_permit", "taiwan_permit", "foreign_permanent",
                                            "passport", "other"});
}

TEST_CASE("a typed document number has one normal form, wherever it is typed", "[validation][doc]")
{
    // The office's watch command once kept "\r\n" out and the form did not:
    // the same pasted number then named two different people.
    CHECK(normalizeDocNumber(" e123 456\t7\r\n") == "E1234567");
    CHECK(normalizeDocNumber("11010519491231002x") == "11010519491231002X");
    CHECK(normalizeDocNumber("") == "");
    CHECK(normalizeDocNumber("张-3") == "张-3"); // what is not space or a–z is left for the shape checks
    std::string typed = "11010519491231002x\r\n";
    CHECK(checkDocNumber(DocType::ResidentId, typed, kNow.today()).number == normalizeDocNumber(typed));
    CHECK_FALSE(checkDocNumber(DocType::ResidentId, typed, kNow.today()).error);
}

TEST_CASE("a number typed for the office's lists: an ID-shaped one must pass some 18-digit type's check", "[validation][doc]")
{
    const Date today = kNow.today();
    const std::string permitHk = withCheck("81000019900101001"), permanent = withCheck("91184019800101001");
    for (const std::string& good : {std::string("11010519491231002X"), permitHk, permanent, std::string("E12345678"),
                                    std::string("H12345678"), std::string("12345678"), std::string("AB-1234")})
        CHECK_FALSE(checkListedDocNumber(good, today));
    // One digit wrong, and the check character wrong: somebody else, or nobody.
    for (const std::string& typo : {std::string("11010519491231003X"), std::string("110105194912310021")}) {
        auto m = checkListedDocNumber(typo, today);
        REQUIRE(m);
        CHECK(m->field == "doc_number");
        CHECK(m->code.starts_with("id."));
        CHECK_FALSE(m->zh.empty());
        CHECK_FALSE(m->en.empty());
    }
}
